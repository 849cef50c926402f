//! Graph and change documents: their error type ([`InputError`]), their
//! text read into JSON with one reading only (`value.rs`: a repeated key is
//! an error), typed readers of JSON whose errors name the value's path
//! (`json.rs`), and the did-you-mean suggestions every stage shares
//! (`suggest.rs`).

mod err;
mod json;
pub(crate) mod suggest;
#[cfg(test)]
mod tests;
mod value;

pub use self::err::InputError;
pub(crate) use self::err::backticked;
pub(crate) use self::json::*;
pub(crate) use self::suggest::did_you_mean;
pub(crate) use self::value::{Unrepeated, ValueSeed};
