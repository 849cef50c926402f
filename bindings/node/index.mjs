// ES module entry: the same native addon as index.js.
import { createRequire } from 'node:module'

const native = createRequire(import.meta.url)('./changegate.node')

export const { Policy, Graph, impact, importFiles, importTexts, validate, formatPolicy, lint, runTests, ChangegateError } = native
export default native
