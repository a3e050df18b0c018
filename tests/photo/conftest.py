"""Fixtures of the photo tests: astronaut composites, a small video of them, and a
real CUPS server with a cups-pdf queue (started here, on a free loopback port and a
socket in a temp folder, stopped afterwards)."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.photo.faces import compose

HERE = Path(__file__).resolve().parent
SBIN = ("/usr/sbin", "/sbin", "/usr/local/sbin")


def require(name: str) -> str:
    """Like tests.conftest.require_tool, also looking in the sbin folders (cupsd)."""
    path = shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", ""), *SBIN]))
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required under CI=true but is not installed")
        pytest.skip(f"{name} not installed")
    return path


def require_root() -> None:
    """cupsd and cups-pdf's per-queue configuration (/etc/cups) need root. CI runs as
    root (it installs the packages itself), so there a missing root is a broken CI
    setup and fails; elsewhere the CUPS tests are skipped."""
    if os.geteuid() == 0:
        return
    if os.environ.get("CI") == "true":
        pytest.fail("the CUPS fixture runs cupsd and configures cups-pdf as root; under CI=true run as root")
    pytest.skip("the CUPS fixture runs cupsd and configures cups-pdf as root")


def pytest_collection_modifyitems(config, items):
    """Qt's offscreen platform warns about window-system features it lacks (the same
    noise tests/ui ignores); nothing else is ignored."""
    from tests.ui.conftest import OFFSCREEN_NOISE

    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def booth_fonts(request):
    """Same font and stylesheet as the booth app for the tests that show widgets."""
    if "qtbot" in request.fixturenames or "qapp" in request.fixturenames:
        from ui.app import setup_application

        setup_application(request.getfixturevalue("qapp"), "ja")
    yield


@pytest.fixture(scope="session")
def fixtures_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("photo-fixtures")


def write_video(path: Path, frames: list[np.ndarray], fps: float = 30.0) -> Path:
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    assert writer.isOpened(), "OpenCV cannot write MJPG video"
    for f in frames:
        writer.write(f)
    writer.release()
    return path


@pytest.fixture(scope="session")
def face_video(fixtures_dir) -> Path:
    """One second of the astronaut composite swaying a few pixels, 1280×720 at 30 fps."""
    frames = [compose(460, (620 + 3 * (i % 5), 110), seed=i)[0] for i in range(30)]
    return write_video(fixtures_dir / "applicant.avi", frames)


# ---- CUPS ------------------------------------------------------------------------------
@dataclass
class CupsServer:
    root: Path
    queue: str
    socket: str
    port: int
    out: Path           # where cups-pdf puts the printed PDFs ("the paper tray")
    spool: Path         # cupsd's RequestRoot
    pdf_spool: Path     # cups-pdf's own spool
    conf: Path          # the queue's cups-pdf configuration under /etc/cups

    def lp(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(list(args), capture_output=True, text=True, timeout=30,
                              env={**os.environ, "CUPS_SERVER": self.socket})

    def job_files(self) -> list[str]:
        return sorted(p.name for p in self.spool.iterdir() if p.is_file())

    def printed(self) -> list[Path]:
        return sorted(self.out.glob("*.pdf"), key=lambda p: p.stat().st_mtime)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CUPSD_CONF = """Listen 127.0.0.1:{port}
Listen {sock}
LogLevel warn
# Worst case for privacy: the server keeps job files. The app must purge its own job,
# and the settings must warn about this.
PreserveJobFiles Yes
PreserveJobHistory Yes
Browsing No
WebInterface No
DefaultAuthType Basic
<Location />
  Order allow,deny
  Allow 127.0.0.1
  Allow @LOCAL
</Location>
<Location /admin>
  Order allow,deny
  Allow 127.0.0.1
  Allow @LOCAL
</Location>
<Location /admin/conf>
  AuthType Default
  Require user @SYSTEM
  Order allow,deny
  Allow 127.0.0.1
  Allow @LOCAL
</Location>
<Policy default>
  JobPrivateAccess default
  JobPrivateValues default
  SubscriptionPrivateAccess default
  SubscriptionPrivateValues default
  <Limit Create-Job Print-Job Print-URI Validate-Job>
    Order deny,allow
  </Limit>
  <Limit Send-Document Send-URI Hold-Job Release-Job Restart-Job Purge-Jobs Set-Job-Attributes Create-Job-Subscription Renew-Subscription Cancel-Subscription Get-Notifications Reprocess-Job Cancel-Current-Job Suspend-Current-Job Resume-Job Cancel-My-Jobs Close-Job CUPS-Move-Job CUPS-Get-Document>
    Require user @OWNER @SYSTEM
    Order deny,allow
  </Limit>
  <Limit CUPS-Add-Modify-Printer CUPS-Delete-Printer CUPS-Add-Modify-Class CUPS-Delete-Class CUPS-Set-Default CUPS-Get-Devices>
    AuthType Default
    Require user @SYSTEM
    Order deny,allow
  </Limit>
  <Limit Cancel-Job CUPS-Authenticate-Job>
    Require user @OWNER @SYSTEM
    Order deny,allow
  </Limit>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""

CUPS_FILES_CONF = """SystemGroup root
User lp
Group lp
ServerRoot {root}
RequestRoot {root}/spool
TempDir {root}/spool/tmp
CacheDir {root}/cache
StateDir {root}/state
AccessLog {root}/log/access_log
ErrorLog {root}/log/error_log
PageLog {root}/log/page_log
Printcap {root}/printcap
ServerBin /usr/lib/cups
DataDir /usr/share/cups
FileDevice No
"""


@pytest.fixture(scope="session")
def cups_server():
    cupsd = require("cupsd")
    require("lpadmin")
    backend = Path("/usr/lib/cups/backend/cups-pdf")
    ppd = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
    if not backend.exists() or not ppd.exists() or not Path("/etc/cups").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("cups-pdf (printer-driver-cups-pdf) is required under CI=true")
        pytest.skip("cups-pdf is not installed")
    require_root()
    root = Path(tempfile.mkdtemp(prefix="mdg-cups-"))  # short: the socket path has a length limit
    os.chmod(root, 0o755)
    for sub in ("spool", "spool/tmp", "cache", "state", "log", "out", "pdfspool"):
        (root / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(root / sub, 0o755)
    port = _free_port()
    sock = str(root / "cups.sock")
    (root / "cupsd.conf").write_text(CUPSD_CONF.format(port=port, sock=sock))
    (root / "cups-files.conf").write_text(CUPS_FILES_CONF.format(root=root))
    queue = f"madoguchi-test-{uuid.uuid4().hex[:8]}"
    # cups-pdf reads its per-queue configuration from a fixed folder, /etc/cups.
    conf = Path("/etc/cups") / f"cups-pdf-{queue}.conf"
    conf.write_text(f"Out {root}/out\nSpool {root}/pdfspool\nAnonDirName {root}/out\n"
                    f"Log {root}/log\nLogType 1\nUserUMask 0022\n")
    log = open(root / "log" / "cupsd.out", "wb")
    proc = subprocess.Popen([cupsd, "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    old_env = os.environ.get("CUPS_SERVER")
    server = CupsServer(root, queue, sock, port, root / "out", root / "spool", root / "pdfspool", conf)
    try:
        deadline = time.monotonic() + 20
        while not Path(sock).exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("cupsd did not start: " + (root / "log" / "cupsd.out").read_text(errors="replace"))
            time.sleep(0.05)
        result = server.lp(require("lpadmin"), "-p", queue, "-E", "-v", f"cups-pdf:/{queue}", "-P", str(ppd))
        assert result.returncode == 0, result.stderr
        os.environ["CUPS_SERVER"] = sock
        from hardware import cups

        cups.reset_server()
        yield server
    finally:
        if old_env is None:
            os.environ.pop("CUPS_SERVER", None)
        else:
            os.environ["CUPS_SERVER"] = old_env
        try:
            from hardware import cups

            cups.reset_server()
        except Exception:
            pass
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()
        conf.unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)
