// Extracts from GitHub's OpenAPI description (npm `@octokit/openapi`) the operations relman uses,
// with the parameters and responses they reference resolved and the component schemas they
// reference (transitively) kept, stripped of prose. The fake GitHub in relman-testkit validates
// every request body it receives and every response body it sends against this subset.
//
// usage: node github-openapi-subset.js PATH/TO/api.github.com.json VERSION OUTPUT.json
"use strict";
const fs = require("fs");

const OPERATIONS = [
  ["get", "/repos/{owner}/{repo}"],
  ["get", "/repos/{owner}/{repo}/releases"],
  ["post", "/repos/{owner}/{repo}/releases"],
  ["post", "/repos/{owner}/{repo}/releases/generate-notes"],
  ["get", "/repos/{owner}/{repo}/releases/tags/{tag}"],
  ["get", "/repos/{owner}/{repo}/releases/{release_id}"],
  ["patch", "/repos/{owner}/{repo}/releases/{release_id}"],
  ["delete", "/repos/{owner}/{repo}/releases/{release_id}"],
  ["get", "/repos/{owner}/{repo}/releases/{release_id}/assets"],
  ["post", "/repos/{owner}/{repo}/releases/{release_id}/assets"],
  ["delete", "/repos/{owner}/{repo}/releases/assets/{asset_id}"],
  ["get", "/repos/{owner}/{repo}/pulls"],
  ["post", "/repos/{owner}/{repo}/pulls"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}"],
  ["put", "/repos/{owner}/{repo}/pulls/{pull_number}/merge"],
  ["post", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"],
  ["get", "/user"],
  ["post", "/repos/{owner}/{repo}/issues/{issue_number}/assignees"],
  ["post", "/repos/{owner}/{repo}/issues/{issue_number}/labels"],
  ["get", "/repos/{owner}/{repo}/issues"],
  ["get", "/repos/{owner}/{repo}/milestones"],
  ["get", "/repos/{owner}/{repo}/commits/{ref}/check-runs"],
  ["get", "/repos/{owner}/{repo}/commits/{ref}/status"],
  ["get", "/repos/{owner}/{repo}/actions/runs"],
  ["get", "/repos/{owner}/{repo}/actions/runs/{run_id}"],
  ["post", "/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs"],
  ["get", "/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts"],
  ["get", "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}"],
  ["get", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs"],
  ["post", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches"],
];

// Keywords the validator understands or that identify things; everything else (prose, examples,
// GitHub's x- extensions) is dropped to keep the subset small and reviewable.
const KEEP = new Set([
  "$ref", "type", "nullable", "required", "properties", "additionalProperties", "items",
  "enum", "oneOf", "anyOf", "allOf", "format", "minimum", "maximum", "minItems", "maxItems",
  "maxProperties", "default",
]);

const [, , input, version, output] = process.argv;
if (!input || !version || !output) {
  console.error("usage: node github-openapi-subset.js API_JSON VERSION OUTPUT");
  process.exit(2);
}
const spec = JSON.parse(fs.readFileSync(input, "utf8"));
const wanted = new Set();

function pointer(ref) {
  if (!ref.startsWith("#/")) throw new Error(`external $ref ${ref}`);
  return ref.slice(2).split("/").reduce((node, key) => node[key.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
}

// Inlines $refs that are not schemas (parameters, responses); keeps schema refs, noting them.
function deref(node) {
  while (node && node.$ref && !node.$ref.startsWith("#/components/schemas/")) node = pointer(node.$ref);
  return node;
}

function strip(schema) {
  if (Array.isArray(schema)) return schema.map(strip);
  if (!schema || typeof schema !== "object") return schema;
  if (schema.$ref) {
    const name = schema.$ref.replace("#/components/schemas/", "");
    if (!wanted.has(name)) {
      wanted.add(name);
      components[name] = null;
      components[name] = strip(pointer(schema.$ref));
    }
    return { $ref: schema.$ref };
  }
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEEP.has(key)) continue;
    if (key === "properties") {
      out.properties = {};
      for (const [name, property] of Object.entries(value)) out.properties[name] = strip(property);
    } else if (key === "default" || key === "enum" || key === "required") {
      out[key] = value;
    } else {
      out[key] = strip(value);
    }
  }
  return out;
}

const components = {};
const operations = [];
for (const [method, path] of OPERATIONS) {
  const item = spec.paths[path];
  const operation = item && item[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in the description`);
  const parameters = [...(item.parameters || []), ...(operation.parameters || [])]
    .map(deref)
    .map((p) => ({ name: p.name, in: p.in, required: !!p.required, schema: strip(p.schema || {}) }));
  let requestBody = null;
  if (operation.requestBody) {
    const body = deref(operation.requestBody);
    const [contentType, media] = Object.entries(body.content)[0];
    requestBody = { contentType, required: !!body.required, schema: strip(media.schema || {}) };
  }
  const responses = {};
  for (const [status, raw] of Object.entries(operation.responses)) {
    const response = deref(raw);
    const json = response.content && (response.content["application/json"] || response.content["application/scim+json"]);
    responses[status] = json && json.schema ? { schema: strip(json.schema) } : { schema: null };
  }
  operations.push({
    method: method.toUpperCase(),
    path,
    operationId: operation.operationId,
    ...(operation.servers ? { server: operation.servers[0].url } : {}),
    parameters,
    requestBody,
    responses,
  });
}

const sorted = {};
for (const name of Object.keys(components).sort()) sorted[name] = components[name];
const subset = {
  source: { package: "@octokit/openapi", version, file: "generated/api.github.com.json", openapi: spec.openapi },
  generatedBy: "scripts/github-openapi-subset.sh",
  operations,
  components: { schemas: sorted },
};
fs.writeFileSync(output, JSON.stringify(subset, null, 1) + "\n");
console.log(`${operations.length} operations, ${Object.keys(sorted).length} schemas -> ${output}`);
