//! Graph and change documents: their error type ([`InputError`]), typed
//! readers of JSON whose errors name the value's path (`json.rs`), and the
//! did-you-mean suggestions every stage shares (`suggest.rs`).

mod err;
mod json;
mod suggest;
#[cfg(test)]
mod tests;

pub use self::err::InputError;
pub(crate) use self::err::backticked;
pub(crate) use self::json::*;
pub(crate) use self::suggest::{Suggest, did_you_mean};
