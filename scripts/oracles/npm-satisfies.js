// Prints, as JSON, npm semver's answers to `satisfies(version, range)` and `validRange(range)`
// over the ranges workspace requirements use. Run through npm-satisfies.sh, which installs the
// package and sets NODE_PATH.
'use strict'

const semver = require('semver')
const packageVersion = require('semver/package.json').version

const ranges = [
  '1.2.3', '=1.2.3', 'v1.2.3', '^1.2.3', '^0.2.3', '^0.0.3', '^1.2', '^0.2', '^0.0', '^1', '^0',
  '^1.x', '^0.x', '^1.2.3-beta.2', '^0.0.3-beta', '~1.2.3', '~1.2', '~1', '~0.2.3',
  '~1.2.3-beta.2', '~>1.2.3', '1.x', '1.2.x', '1.X', '1.*', '*', 'x', '', '>1.2.3', '>1.2',
  '>1', '>=1.2.3', '>=1.2', '<1.2.3', '<1.2', '<1', '<=1.2.3', '<=1.2', '<=1',
  '>=1.0.0 <2.0.0', '>=1.2.3-rc.1 <1.3.0', '1.2.3 - 2.3.4', '1.2 - 2.3.4', '1.2.3 - 2.3',
  '1.2.3 - 2', '^1.0.0 || ^2.0.0', '1.x || >=2.5.0 || 5.0.0 - 7.2.3', '>= 1.2.3',
  '^3.5.41', '3.5.41', 'workspace:*', 'latest', 'file:../core', '1.2.3.4', 'x.y',
]
const versions = [
  '0.0.0', '0.0.3', '0.0.4', '0.2.3', '0.2.9', '0.3.0', '1.0.0', '1.2.0', '1.2.3', '1.2.4',
  '1.3.0', '1.9.9', '2.0.0', '2.3.4', '2.3.5', '2.5.0', '3.0.0', '3.5.41', '3.5.42', '3.6.0',
  '4.0.0', '7.2.3', '1.2.3-rc.1', '1.2.3-beta.2', '1.2.3-beta.5', '1.2.4-beta.1', '2.0.0-0',
  '2.0.0-rc.1', '1.3.0-0', '0.0.3-beta.1', '3.5.42-beta.0',
]

const cases = []
for (const range of ranges) {
  const valid = semver.validRange(range) !== null
  for (const version of versions) {
    cases.push({ version, range, valid, satisfies: semver.satisfies(version, range) })
  }
}
process.stdout.write(JSON.stringify({ semver: packageVersion, cases }, null, 1) + '\n')
