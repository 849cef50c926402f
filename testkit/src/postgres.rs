//! A PostgreSQL server of a test's own, from Debian's package: initialised
//! in a scratch folder, listening on a unix socket there only (no TCP),
//! stopped and removed when dropped, even when the test fails.
//!
//! initdb refuses to run as root, so when the tests run as root (as CI
//! does) the server runs as `nobody`, through `runuser`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A running server.
#[derive(Debug)]
pub struct Postgres {
    bin: PathBuf,
    dir: PathBuf,
    user: Option<&'static str>,
}

/// Where Debian installs the server's programs (the newest version), if it
/// is installed.
fn bin_dir() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| Some(e.ok()?.path().join("bin")))
        .filter(|b| b.join("initdb").exists() && b.join("pg_ctl").exists())
        .collect();
    found.sort();
    found.pop()
}

/// Runs `cmd`; a failure is the test's failure, with what it printed.
fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

impl Postgres {
    /// Starts a server in `dir` (created, and removed on drop). `Ok(None)`
    /// when PostgreSQL is not installed, which is an error under `CI=true`:
    /// there the suite must test the PostgreSQL store, and `make test`
    /// installs it.
    pub fn start(dir: PathBuf) -> Result<Option<Postgres>, String> {
        let Some(bin) = bin_dir() else {
            if std::env::var("CI").as_deref() == Ok("true") {
                return Err("PostgreSQL's binaries (initdb, pg_ctl) are not under \
                     /usr/lib/postgresql/*/bin: install Debian's `postgresql` package \
                     (`make test` does)"
                    .to_owned());
            }
            return Ok(None);
        };
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout == b"0\n");
        let user = root.then_some("nobody");
        if let Some(user) = user {
            run(Command::new("chown").arg(user).arg(&dir))?;
        }
        let pg = Postgres { bin, dir, user };
        run(pg
            .command("initdb")
            .args(["-N", "-U", "postgres", "--auth=trust", "-E", "UTF8"])
            .args(["--locale=C.UTF-8", "-D"])
            .arg(pg.dir.join("data")))?;
        pg.pg_ctl("start")?;
        Ok(Some(pg))
    }

    /// The folder of the server (its data, socket and log).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The URL of database `db`, as user `postgres`, over the socket.
    pub fn url(&self, db: &str) -> String {
        format!("postgresql://postgres@/{db}?host={}", self.dir.display())
    }

    /// One of the server's programs, run as the server's user.
    pub fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        match self.user {
            Some(user) => {
                // root's PATH may lack /usr/sbin, where Debian has runuser.
                let runuser = ["/usr/sbin/runuser", "/sbin/runuser"]
                    .into_iter()
                    .find(|p| Path::new(p).exists())
                    .unwrap_or("runuser");
                let mut c = Command::new(runuser);
                c.args(["-u", user, "--"]).arg(program);
                c
            }
            None => Command::new(program),
        }
    }

    /// `pg_ctl start` (on the folder's socket, no TCP) or any other action,
    /// `stop` at once (`-m immediate`, as a crash would).
    pub fn pg_ctl(&self, action: &str) -> Result<(), String> {
        let mut c = self.command("pg_ctl");
        c.arg("-D").arg(self.dir.join("data"));
        if action == "start" {
            c.arg("-o")
                .arg(format!("-k {} -c listen_addresses=''", self.dir.display()))
                .arg("-l")
                .arg(self.dir.join("server.log"));
        } else {
            c.args(["-m", "immediate"]);
        }
        run(c.args(["-w", action]))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
