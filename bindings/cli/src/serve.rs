//! `changegate serve`: the decision service (the `changegate-service`
//! crate); this only turns the arguments into its configuration.

use std::io::Read as _;
use std::path::Path;
use std::time::Duration;

use changegate_service::{Config, LogSink, ServeError, TlsFiles};

use crate::args::ServeArgs;
use crate::err::Failure;
use crate::run::{ERROR, read_limits};
use crate::style::{self, ColorChoice};

/// `changegate serve`.
pub(crate) fn serve(args: &ServeArgs, limits: Option<&Path>, color: ColorChoice) -> u8 {
    let result = match &args.hash_token {
        Some(name) => hash_token(name),
        None => run(args, limits),
    };
    match result {
        Ok(()) => 0,
        Err(f) => {
            style::eprint(color, &crate::render::failure(&f, color.stderr_colored()));
            ERROR
        }
    }
}

fn failure(e: ServeError) -> Failure {
    match e {
        ServeError::Core(e) => Failure::Core(e),
        other => Failure::Usage {
            message: other.to_string(),
            help: other.help(),
        },
    }
}

fn hash_token(name: &str) -> Result<(), Failure> {
    let mut secret = String::new();
    std::io::stdin()
        .read_to_string(&mut secret)
        .map_err(|e| Failure::Usage {
            message: format!("cannot read the token from standard input: {e}"),
            help: Some("pipe the token in, such as `openssl rand -hex 32 | changegate serve --hash-token NAME`".to_owned()),
        })?;
    let line = changegate_service::hash_token(name, &secret).map_err(failure)?;
    let _ = style::print_raw(&line);
    Ok(())
}

fn run(args: &ServeArgs, limits: Option<&Path>) -> Result<(), Failure> {
    let mut config = Config::new(args.policy.clone(), args.graph.clone().unwrap_or_default());
    config.limits = read_limits(limits)?;
    config.listen.clone_from(&args.listen);
    config.tokens.clone_from(&args.tokens);
    config.tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(TlsFiles {
            cert: cert.clone(),
            key: key.clone(),
            client_ca: args.client_ca.clone(),
        }),
        _ => None,
    };
    config.max_body_bytes = args.max_body_bytes;
    config.request_timeout = Duration::from_secs(args.request_timeout.max(1));
    config.shutdown_grace = Duration::from_secs(args.shutdown_grace);
    config.watch = !args.no_watch;
    config.log = (!args.no_log).then(|| {
        LogSink::Url(
            args.log
                .clone()
                .unwrap_or_else(|| changegate_log::DEFAULT_LOCATION.to_owned()),
        )
    });
    changegate_service::run(config).map_err(failure)
}
