// The first step of npm start, test and bench: a one-line answer instead of a dependency's stack
// trace when the Node on PATH is too old. Plain JavaScript, so any Node can run it.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Tandem needs Node 22.12 or newer (Node 24 LTS is what it is tested on); this is Node ${process.versions.node} at ${process.execPath}. ` +
      'Run `npm ci` without --ignore-scripts so it brings Node 24 (the `node` package), or put Node 22.12+/24 on PATH.',
  )
  process.exit(1)
}
