//! The `ronda` binary as an operator runs it: migrate, user add, config example, and a
//! server that starts, answers and stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_ronda");

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let path = std::env::temp_dir().join(format!(
            "ronda-cli-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        std::fs::create_dir_all(&path).expect("create temporary directory");
        Self(path)
    }

    fn database(&self) -> String {
        format!("sqlite://{}", self.0.join("ronda.sqlite").display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// Runs `ronda` in `dir` with the given arguments and standard input.
fn ronda(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BINARY)
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ronda");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for ronda")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn migrate_then_add_users() {
    let dir = TempDir::new();
    let db = dir.database();

    let migrate = ronda(&dir.0, &["--database", &db, "migrate"], "");
    assert!(migrate.status.success(), "{}", text(&migrate.stderr));
    assert!(text(&migrate.stdout).contains("Migrations applied"));

    let base = [
        "--database",
        db.as_str(),
        "user",
        "add",
        "--org",
        "Despacho Norte",
    ];
    let missing_org = ronda(
        &dir.0,
        &[
            &base[..],
            &[
                "--email",
                "ana@norte.mx",
                "--name",
                "Ana",
                "--role",
                "admin",
            ],
        ]
        .concat(),
        "",
    );
    assert!(!missing_org.status.success());
    assert!(
        text(&missing_org.stderr).contains("--create-org"),
        "{}",
        text(&missing_org.stderr)
    );

    let args = [
        &base[..],
        &[
            "--create-org",
            "--email",
            "ana@norte.mx",
            "--name",
            "Ana",
            "--role",
            "admin",
            "--password-stdin",
        ],
    ]
    .concat();
    let created = ronda(&dir.0, &args, "contraseña-larga-1\n");
    assert!(created.status.success(), "{}", text(&created.stderr));
    assert!(text(&created.stdout).contains("Created admin ana@norte.mx in Despacho Norte"));
    assert!(
        !text(&created.stdout).contains("contraseña-larga-1"),
        "a typed password is not echoed"
    );

    let generated = ronda(
        &dir.0,
        &[
            &base[..],
            &[
                "--email",
                "beto@norte.mx",
                "--name",
                "Beto",
                "--role",
                "agent",
            ],
        ]
        .concat(),
        "",
    );
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    let stdout = text(&generated.stdout);
    let password = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Password: "))
        .expect("generated password printed");
    assert_eq!(password.len(), 20);

    let duplicate = ronda(
        &dir.0,
        &[
            &base[..],
            &[
                "--email",
                "ANA@norte.mx",
                "--name",
                "Otra",
                "--role",
                "viewer",
            ],
        ]
        .concat(),
        "",
    );
    assert!(!duplicate.status.success());
    assert!(
        text(&duplicate.stderr).contains("could not create user ana@norte.mx"),
        "{}",
        text(&duplicate.stderr)
    );

    let short = ronda(
        &dir.0,
        &[
            &base[..],
            &[
                "--email",
                "c@norte.mx",
                "--name",
                "C",
                "--role",
                "agent",
                "--password-stdin",
            ],
        ]
        .concat(),
        "corta",
    );
    assert!(!short.status.success());
    assert!(
        text(&short.stderr).contains("password"),
        "{}",
        text(&short.stderr)
    );

    let bad_role = ronda(
        &dir.0,
        &[
            &base[..],
            &["--email", "d@norte.mx", "--name", "D", "--role", "jefe"],
        ]
        .concat(),
        "",
    );
    assert!(!bad_role.status.success());
    assert!(
        text(&bad_role.stderr).contains("admin, supervisor, agent or viewer"),
        "{}",
        text(&bad_role.stderr)
    );
}

#[test]
fn config_example_is_complete() {
    let dir = TempDir::new();
    let output = ronda(&dir.0, &["config", "example"], "");
    assert!(output.status.success());
    let example = text(&output.stdout);
    for key in [
        "[database]",
        "url =",
        "[server]",
        "listen =",
        "secure_cookies",
        "[login]",
        "[log]",
    ] {
        assert!(example.contains(key), "missing {key}");
    }
    std::fs::write(dir.0.join("ronda.toml"), &example).expect("write config");
    let migrate = ronda(&dir.0, &["migrate"], "");
    assert!(
        migrate.status.success(),
        "the printed example is a valid configuration: {}",
        text(&migrate.stderr)
    );
    assert!(
        dir.0.join("ronda.sqlite").exists(),
        "the default database is created next to ronda.toml"
    );
}

#[test]
fn bad_listen_address_fails_before_first_admin() {
    let dir = TempDir::new();
    let output = ronda(
        &dir.0,
        &[
            "--database",
            &dir.database(),
            "serve",
            "--listen",
            "localhost",
        ],
        "",
    );
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("IP:PORT"),
        "{}",
        text(&output.stderr)
    );
    assert!(
        !text(&output.stdout).contains("Password"),
        "no admin was created: {}",
        text(&output.stdout)
    );
}

#[test]
fn bad_configuration_is_named() {
    let dir = TempDir::new();
    std::fs::write(
        dir.0.join("ronda.toml"),
        "[server]\nlisen = \"0.0.0.0:1\"\n",
    )
    .expect("write config");
    let output = ronda(&dir.0, &["migrate"], "");
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("lisen"),
        "{}",
        text(&output.stderr)
    );

    let unsupported = ronda(&dir.0, &["--config", "/nonexistent.toml", "migrate"], "");
    assert!(
        text(&unsupported.stderr).contains("does not exist"),
        "{}",
        text(&unsupported.stderr)
    );
}

#[test]
fn serve_prints_first_admin_and_stops_on_sigterm() {
    let dir = TempDir::new();
    let log_path = dir.0.join("ronda.log");
    let mut child = Command::new(BINARY)
        .args([
            "--database",
            &dir.database(),
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--tracking-listen",
            "127.0.0.1:0",
        ])
        .current_dir(&dir.0)
        .stdout(Stdio::piped())
        .stderr(Stdio::from(
            std::fs::File::create(&log_path).expect("log file"),
        ))
        .spawn()
        .expect("start server");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut printed = String::new();
    let address = loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).expect("read stdout") > 0,
            "server exited early: {printed}"
        );
        printed.push_str(&line);
        if let Some(address) = line.trim().strip_prefix("Ronda listening on http://") {
            break address.to_owned();
        }
    };
    assert!(printed.contains("Email:    admin@ronda.local"), "{printed}");
    assert!(printed.contains("Password: "), "{printed}");

    let mut stream = TcpStream::connect(&address).expect("connect");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");

    // The Traccar Client listener answers the OsmAnd protocol: a message without a device
    // id is refused with 400, as the client expects.
    let tracking = printed
        .lines()
        .find_map(|line| line.strip_prefix("Traccar Client (OsmAnd): http://"))
        .and_then(|rest| rest.split('/').next())
        .expect("tracking listener printed")
        .to_owned();
    let mut stream = TcpStream::connect(&tracking).expect("connect to tracking listener");
    stream
        .write_all(
            b"GET /tracking/osmand/secret?lat=19.4&lon=-99.1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    assert!(response.starts_with("HTTP/1.1 400"), "{response}");

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let status = child.wait().expect("wait");
    assert!(status.success(), "graceful shutdown exits 0, got {status}");

    // Logs redirected to a file carry no terminal colour codes.
    let logs = std::fs::read_to_string(&log_path).expect("read logs");
    assert!(logs.contains("server starting"), "{logs}");
    assert!(!logs.contains('\u{1b}'), "colour codes in {logs}");
}

#[test]
fn demo_prints_logins_and_loads_portfolios() {
    let dir = TempDir::new();
    let data_dir = dir.0.join("demo");
    let mut child = Command::new(BINARY)
        .args([
            "demo",
            "--listen",
            "127.0.0.1:0",
            "--tracking-listen",
            "",
            "--no-simulation",
            "--data-dir",
        ])
        .arg(&data_dir)
        .current_dir(&dir.0)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start demo");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut printed = String::new();
    loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).expect("read stdout") > 0,
            "demo exited early: {printed}"
        );
        printed.push_str(&line);
        if line.starts_with("Simulation off") {
            break;
        }
    }
    assert!(printed.contains("Demo data ready"), "{printed}");
    assert!(printed.contains("admin@demo.ronda.mx"), "{printed}");
    assert!(printed.contains("gestor1@demo.ronda.mx"), "{printed}");
    assert!(printed.contains("300 accounts"), "{printed}");
    assert!(printed.contains("Fuente: INEGI"), "{printed}");
    assert!(printed.contains("/app/"), "{printed}");
    assert!(data_dir.join("ronda-demo.sqlite").exists());

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    assert!(child.wait().expect("wait").success());
}

/// Sends one HTTP/1.1 request with `Connection: close` and returns the status code, the
/// `Set-Cookie` value (up to its first `;`) and the body.
fn http(address: &str, request: &str) -> (u16, Option<String>, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let cookie = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie")
                .then(|| value.trim())
        })
        .and_then(|value| value.split(';').next())
        .map(str::to_owned);
    (status, cookie, body.to_owned())
}

/// Reads a JSON body through a logged-in session.
fn get_json(address: &str, cookie: &str, path: &str) -> serde_json::Value {
    let (status, _, body) = http(
        address,
        &format!(
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(status, 200, "GET {path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|error| panic!("GET {path}: {error}: {body}"))
}

#[test]
fn demo_simulates_positions_and_visits() {
    let dir = TempDir::new();
    let data_dir = dir.0.join("demo");
    let mut child = Command::new(BINARY)
        .args([
            "demo",
            "--listen",
            "127.0.0.1:0",
            "--tracking-listen",
            "127.0.0.1:0",
            "--data-dir",
        ])
        .arg(&data_dir)
        .current_dir(&dir.0)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start demo");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut printed = String::new();
    let mut address = None;
    loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).expect("read stdout") > 0,
            "demo exited early: {printed}"
        );
        printed.push_str(&line);
        if let Some(listening) = line.trim().strip_prefix("Ronda listening on http://") {
            address = Some(listening.to_owned());
        }
        if line.starts_with("Simulation:") {
            break;
        }
    }
    let address = address.expect("listening address printed");
    assert!(printed.contains("gestor10@demo.ronda.mx"), "{printed}");
    assert!(
        printed.contains("Demo data ready: 3 forms, 10 tracking devices, 200 accounts assigned"),
        "{printed}"
    );

    let login = r#"{"email":"supervisor1@demo.ronda.mx","password":"ronda-demo-2026"}"#;
    let (status, cookie, body) = http(
        &address,
        &format!(
            "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{login}",
            login.len()
        ),
    );
    assert_eq!(status, 200, "{body}");
    let cookie = cookie.expect("session cookie");

    let forms = get_json(&address, &cookie, "/api/forms");
    assert_eq!(forms["forms"].as_array().map(Vec::len), Some(3), "{forms}");
    let devices = get_json(&address, &cookie, "/api/devices");
    assert_eq!(
        devices["devices"].as_array().map(Vec::len),
        Some(10),
        "{devices}"
    );
    let rules = get_json(&address, &cookie, "/api/notifications/rules");
    assert_eq!(rules["rules"].as_array().map(Vec::len), Some(2), "{rules}");

    // The first visits arrive about 15 s after the simulation starts, staggered by agent.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(45);
    let (mut moving, mut visits) = (0, 0);
    while std::time::Instant::now() < deadline && (moving < 5 || visits < 1) {
        std::thread::sleep(std::time::Duration::from_secs(2));
        let live = get_json(&address, &cookie, "/api/tracking/live");
        moving = live["agents"].as_array().map_or(0, Vec::len);
        let page = get_json(&address, &cookie, "/api/visits");
        visits = page["visits"].as_array().map_or(0, Vec::len);
    }
    assert!(moving >= 5, "agents with a live position: {moving}");
    assert!(visits >= 1, "no visit arrived within 45 s");

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    assert!(child.wait().expect("wait").success());
}
