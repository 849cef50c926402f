//! Standard input and output as an `lsp_server::Connection`. lsp-server's
//! own stdio transport returns from its join at a reader error (a message
//! that is not JSON) without waiting for its writer, so answers already
//! sent could be lost when the process exits; this one always waits for
//! everything sent to be written.

use std::io::{self, Write as _};
use std::thread::{self, JoinHandle};

use crossbeam_channel::bounded;
use lsp_server::{Connection, Message};

/// The reading and writing threads.
pub(super) struct Transport {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

/// A connection over standard input and output, and its threads.
pub(super) fn stdio() -> io::Result<(Connection, Transport)> {
    let (to_writer, from_server) = bounded::<Message>(0);
    let writer = thread::Builder::new()
        .name("lsp-writer".to_owned())
        .spawn(move || {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            for msg in from_server {
                msg.write(&mut out)?;
            }
            out.flush()
        })?;
    let (to_server, from_reader) = bounded::<Message>(0);
    let reader = thread::Builder::new()
        .name("lsp-reader".to_owned())
        .spawn(move || {
            let stdin = io::stdin();
            let mut input = stdin.lock();
            while let Some(msg) = Message::read(&mut input)? {
                let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                if to_server.send(msg).is_err() || exit {
                    break;
                }
            }
            Ok(())
        })?;
    let connection = Connection {
        sender: to_writer,
        receiver: from_reader,
    };
    Ok((connection, Transport { reader, writer }))
}

impl Transport {
    /// Waits until everything sent is written (the connection must be
    /// dropped first), then reports the first error of either side. A
    /// reader still blocked on input that the client keeps open is not
    /// waited for.
    pub(super) fn join(self) -> io::Result<()> {
        let panicked = |_| Err(io::Error::other("a thread of the transport panicked"));
        let written = self.writer.join().unwrap_or_else(panicked);
        let read = if self.reader.is_finished() {
            self.reader.join().unwrap_or_else(panicked)
        } else {
            Ok(())
        };
        read.and(written)
    }
}
