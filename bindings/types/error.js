// The one error class of both JavaScript packages (Node and WASM): each
// builds a ChangegateError from core's error report (its JSON: kind,
// message, help, diagnostics, document, path), so the two throw the same
// class with the same fields. The Node addon runs this file as a script;
// the WASM package's build makes it a module. Declared in changegate.d.ts.
class ChangegateError extends Error {
  constructor(report) {
    super(report.message)
    this.kind = report.kind
    this.help = report.help ?? null
    this.diagnostics = report.diagnostics ?? []
    this.document = report.document ?? null
    this.path = report.path ?? null
  }

  get name() {
    return 'ChangegateError'
  }

  // An error from the report's JSON text.
  static fromReport(json) {
    return new ChangegateError(JSON.parse(json))
  }
}
