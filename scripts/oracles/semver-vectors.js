// Prints, as JSON, npm semver's answer to `inc(version, level, label)` over a grid of inputs.
// Run through semver-vectors.sh, which installs the package and sets NODE_PATH.
'use strict'

const semver = require('semver')
const packageVersion = require('semver/package.json').version

const inputs = [
  // finals, including 0.x, where npm's rules differ from nothing but relman's `auto` does
  '0.0.0', '0.0.1', '0.1.0', '0.1.2', '1.0.0', '1.2.0', '1.2.3', '1.0.9', '1.9.9', '2.0.0',
  '10.20.30',
  // pre-releases: numeric only, named without number, named with number, several numbers
  '1.0.0-0', '1.0.0-1', '1.2.0-0', '1.2.3-0', '1.2.3-7', '1.2.3-0.3.7', '1.2.3-alpha',
  '1.2.3-alpha.0', '1.2.3-alpha.1', '1.2.3-beta.2', '1.2.3-rc.0', '1.2.3-rc.1', '1.2.0-alpha.1',
  '1.0.0-alpha.1', '0.1.0-beta.1', '0.0.1-rc.0', '2.0.0-rc.3', '1.0.0-rc.1.2',
  '1.2.3-alpha.1.beta', '1.2.3-alpha.beta', '1.2.3-1.alpha', '1.2.3-x.7.z.92', '1.2.3-dev.0',
  '1.2.3-alpha-b.1', '1.2.3-rc1', '1.2.3-pre', '1.2.3-next.4', '1.2.3-ALPHA.1', '1.2.3--x.1',
  // identifiers that JavaScript's isNaN reads as numbers
  '1.2.3-alpha.1e5', '1.2.3-alpha.0x1f', '1.2.3-alpha.Infinity',
  // build metadata is dropped by inc
  '1.2.3+build.5', '1.2.3-rc.1+build.5', '1.0.0+20130313144700', '1.2.3-beta+exp.sha.5114f85',
  '0.9.0+001',
  // a `v` prefix and surrounding white space are accepted and dropped
  'v1.2.3', 'v1.2.3-rc.1', ' 1.2.3 ', '\t1.2.3-alpha.1\n', 'v0.1.0',
  // not versions: npm refuses them all, and so must relman
  '', '1', '1.2', '1.2.3.4', '01.2.3', '1.02.3', '1.2.03', '1.2.3-01', '1.2.3-', '1.2.3+',
  '1.2.3-alpha..1', '1.2.3-alpha_1', 'V1.2.3', '=1.2.3', 'v 1.2.3', '1.2.x', 'a.b.c', '1.2.3 4',
  '-1.2.3', '1.2.3-+', 'latest', '1.2.3-\u03b1lpha', 'vv1.2.3', '1.2.3+build..5',
]

const preLevels = ['premajor', 'preminor', 'prepatch', 'prerelease']
const otherLevels = ['major', 'minor', 'patch', 'release']
// undefined means `inc(version, level)`, no label at all
const preLabels = [undefined, 'alpha', 'beta', 'rc', 'dev', 'next', 'alpha.1', '1', '0',
  'RC', '01', 'bad label', 'a_b', '-x']
// npm ignores the label for levels that do not start with `pre`, even an invalid one
const otherLabels = [undefined, 'alpha', 'bad label']

const cases = []
for (const input of inputs) {
  for (const level of [...otherLevels, ...preLevels]) {
    const labels = preLevels.includes(level) ? preLabels : otherLabels
    for (const label of labels) {
      const expected = label === undefined
        ? semver.inc(input, level)
        : semver.inc(input, level, label)
      cases.push({ input, level, label: label === undefined ? null : label, expected })
    }
  }
}

const lines = cases.map((c) => '    ' + JSON.stringify(c))
process.stdout.write('{\n')
process.stdout.write(`  "generator": "scripts/oracles/semver-vectors.sh",\n`)
process.stdout.write(`  "oracle": "npm semver ${packageVersion}: inc(input, level, label); expected null means it refused",\n`)
process.stdout.write('  "cases": [\n' + lines.join(',\n') + '\n  ]\n}\n')
