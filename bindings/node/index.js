'use strict'
// The native addon, built by `make node` (napi build --release) next to this file.
module.exports = require('./changegate.node')
