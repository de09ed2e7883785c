#!/usr/bin/env python3
"""Checks README.md and docs/*.md against the program they describe.

  check_docs.py --source DIR --build DIR --shared DIR [--only FILE.md ...] [--no-run]

What it checks (each failure names the file and line):

1. Every fenced block has a language, so no command escapes the check by being untagged.
2. Every command in a fenced sh/bash/shell/console block runs, and exits 0, in a temporary
   folder per page with `../shared` beside it, `build` pointing at the build tree and the built
   `soundlens` first on PATH. The blocks of one page run in order in the same folder (a later
   block may use what an earlier one wrote). Files a command names as outputs (`--figure X`,
   `--out-dir D`, `-o X`, `> X`, ...) must exist and not be empty afterwards. In console blocks
   the lines after a `$ ` command are its expected output: each must appear in the real output,
   in order (`...` skips any number of lines).
3. A block whose commands talk to `http://127.0.0.1:8000` (or `localhost:8000`) runs against a
   `soundlens serve` this script starts on a free port (`--data-dir ./data` in the page's folder),
   the address rewritten to it. `<!-- check: server ARGS -->` before a block adds ARGS.
4. Commands that cannot run here (installing packages, systemctl, the setup script) are allowed
   only when (a) the same command is literally in a script the tests run (.ci/run, the scripts
   tests/*/CMakeLists.txt run, and the scripts those call), (b) it runs a script of this tree every
   step of which is such a script or the program, or (c) the block is marked
   `<!-- check: covered-by NAME -->` where NAME is an existing ctest or gtest test.
5. Every relative link points to an existing file (and heading, for `file.md#anchor`).
6. Every `--option` given to `soundlens COMMAND` (in a command or an inline code span), and every
   bare `--option` in an inline code span, exists in that command's `--help` (bare ones: in some
   command's).
"""
import argparse
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

RUN_LANGS = {"sh", "bash", "shell", "console"}
SOUNDLENS_COMMANDS = ["analyze", "compare", "serve", "worker", "models", "users", "keys", "train", "evaluate",
                      "robustness", "calibrate", "live"]
OUTPUT_OPTIONS = {"--figure", "--spectrogram-figure", "--listen", "--events-csv", "--raven", "--audacity",
                  "--report", "--out-dir", "-o", "--output", "--file", "--csv", "--reliability"}
SEPARATORS = {"|", "||", "&&", ";", "&", "$(", "`"}
MARKER = re.compile(r"^<!--\s*check:\s*(.*?)\s*-->$")

failures = []


def fail(where, message):
    failures.append(f"{where}: {message}")
    print(f"FAIL {where}: {message}", flush=True)


# ---------------------------------------------------------------- reading the pages

class Block:
    def __init__(self, path, line, lang, lines, marker):
        self.path, self.line, self.lang, self.lines, self.marker = path, line, lang, lines, marker

    def where(self):
        return f"{self.path}:{self.line}"


def read_blocks(path, text):
    """Fenced blocks with their language and the check marker on the line before them."""
    blocks, lines = [], text.split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^(```+)(.*)$", lines[i])
        if not m:
            i += 1
            continue
        fence, lang = m.group(1), m.group(2).strip()
        j = i + 1
        while j < len(lines) and not lines[j].startswith(fence):
            j += 1
        previous = next((lines[k].strip() for k in range(i - 1, -1, -1) if lines[k].strip()), "")
        marker = MARKER.match(previous)
        blocks.append(Block(path, i + 1, lang, lines[i + 1:j], marker.group(1) if marker else ""))
        i = j + 1
    return blocks


def prose_of(text):
    """The page without its fenced blocks (for links and inline code)."""
    return re.sub(r"^(```+).*?^\1\s*$", "", text, flags=re.S | re.M)


def commands_of(block):
    """(command, expected output lines) pairs; continuation lines joined."""
    out = []
    if block.lang == "console":
        for line in block.lines:
            if line.startswith("$ "):
                out.append([line[2:], []])
            elif out:
                out[-1][1].append(line)
        return [(c, e) for c, e in out]
    pending = ""
    for line in block.lines:
        if pending:
            line = pending + line
        if line.rstrip().endswith("\\"):
            pending = line.rstrip()[:-1] + " "
            continue
        pending = ""
        if line.strip() and not line.strip().startswith("#"):
            out.append((line, []))
    return out


def synopsis_lines(lines):
    """Lines of a text block, an indented line joined to the one before (a wrapped synopsis)."""
    out = []
    for line in lines:
        if line[:1].isspace() and out:
            out[-1] += " " + line.strip()
        else:
            out.append(line)
    return out


def without_comment(command):
    """The command with a trailing `# comment` taken off (not a # inside quotes)."""
    quote = None
    for i, c in enumerate(command):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or command[i - 1].isspace()):
            return command[:i].rstrip()
    return command.rstrip()


def words(command):
    try:
        lexer = shlex.shlex(command, posix=True, punctuation_chars="|&;")
        lexer.whitespace_split = True
        return list(lexer)
    except ValueError:
        return command.split()


# ---------------------------------------------------------------- scripts the tests run

def tested_scripts(source):
    """Scripts run by CI (.ci/run) and by ctest, and the scripts they call, as paths in the tree."""
    found, queue = set(), []

    def add(rel):
        rel = os.path.normpath(rel)
        if rel not in found and os.path.isfile(os.path.join(source, rel)):
            found.add(rel)
            queue.append(rel)

    add(".ci/run")
    for root, _, files in os.walk(os.path.join(source, "tests")):
        if "CMakeLists.txt" in files:
            cmake = open(os.path.join(root, "CMakeLists.txt")).read()
            here = os.path.relpath(root, source)
            for m in re.finditer(r"\$\{(PROJECT_SOURCE_DIR|CMAKE_CURRENT_SOURCE_DIR)\}/([\w./-]+\.sh)", cmake):
                add(m.group(2) if m.group(1) == "PROJECT_SOURCE_DIR" else os.path.join(here, m.group(2)))
    while queue:
        text = open(os.path.join(source, queue.pop())).read()
        for m in re.finditer(r"(?:^|[\s\"'/])((?:scripts|tests|\.ci)/[\w./-]+)", text):
            add(m.group(1))
    return found


def normalise(s):
    return " ".join(s.split())


class Coverage:
    def __init__(self, source):
        self.source = source
        self.scripts = tested_scripts(source)
        # the commands of each script, without its comments (a command in a comment is not run)
        self.texts = {s: "\n".join(normalise(without_comment(line)) for line in open(os.path.join(source, s)))
                      for s in self.scripts}

    def literally_in_script(self, command):
        """The script that runs this very command as one of its lines (`exec` aside)."""
        c = normalise(without_comment(command))
        for script, text in sorted(self.texts.items()):
            for line in text.split("\n"):
                if c and (line == c or line == "exec " + c):
                    return script
        return None

    def program_is_tested(self, program):
        program = os.path.normpath(program.lstrip("./"))
        return program in self.scripts or program in ("build/src/soundlens", "soundlens")

    def script_steps_tested(self, command):
        """A command that runs a script of this tree, every step of which the tests run."""
        w = words(without_comment(command))
        if not w:
            return None
        script = os.path.join(self.source, w[0])
        if not (w[0].startswith(("scripts/", "./scripts/")) and os.path.isfile(script)):
            return None
        for line in open(script):
            line = without_comment(line.strip())
            if not line or line.startswith(("set ", "cd ")) or line == "#!/usr/bin/env bash":
                continue
            step = words(line)
            if step and step[0] == "exec":
                step = step[1:]
            if not step or not self.program_is_tested(step[0]):
                return None
        return w[0]


def test_exists(source, name):
    """A ctest name (add_test, soundlens_test) or a gtest Suite.Name / Suite in tests/."""
    suite = name.split(".")[0]
    for root, _, files in os.walk(os.path.join(source, "tests")):
        for f in files:
            if not f.endswith((".txt", ".cpp", ".py", ".sh")):
                continue
            text = open(os.path.join(root, f), errors="replace").read()
            if f == "CMakeLists.txt" and re.search(r"(add_test\(NAME|soundlens_test\()\s*" + re.escape(name) + r"\b", text):
                return True
            if f.endswith(".cpp") and re.search(r"TEST(_F|_P)?\(\s*" + re.escape(suite) + r"\s*,", text):
                return True
            if f.endswith(".py") and re.search(r"def " + re.escape(name) + r"\b", text):
                return True
    return False


# ---------------------------------------------------------------- options

def help_options(binary):
    options = {}
    for command in SOUNDLENS_COMMANDS:
        out = subprocess.run([binary, command, "--help"], capture_output=True, text=True, timeout=60)
        options[command] = set(re.findall(r"--[a-z0-9][a-z0-9-]*", out.stdout + out.stderr))
        if not options[command]:
            raise SystemExit(f"`soundlens {command} --help` lists no options: {out.stderr[:200]}")
    top = {"--help"}
    if subprocess.run([binary, "--version"], capture_output=True, timeout=60).returncode == 0:
        top.add("--version")
    options[""] = top
    return options


def check_options(where, text, options, bare_allowed, synopsis=False):
    """`soundlens CMD ... --opt` against CMD's help; a bare `--opt` against every command's.
    A synopsis (`[--top-k N]`, `a|b`) is split on spaces only, its brackets taken off."""
    everything = set().union(*options.values())
    w = [t.strip("[]").rstrip(".") for t in text.split()] if synopsis else words(text.replace("$(", " $( "))
    if bare_allowed and w and w[0].startswith("--"):
        option = w[0].split("=")[0]
        if option not in everything:
            fail(where, f"{option} is not an option of any soundlens command (soundlens COMMAND --help)")
        return
    command = None
    for i, token in enumerate(w):
        if token in SEPARATORS or token.endswith(("|", ";", "&&")):
            command = None
        elif os.path.basename(token) == "soundlens" and (i == 0 or w[i - 1] in SEPARATORS or w[i - 1].endswith(("(", "="))
                                                           or w[i - 1] == "exec"):
            nxt = w[i + 1] if i + 1 < len(w) else ""
            command = nxt if nxt in options else ""
        elif command is not None and re.match(r"^--[a-z]", token):
            option = token.split("=")[0]
            if option not in options[command]:
                fail(where, f"{option} is not an option of `{' '.join(['soundlens', command]).strip()}` (see its --help)")


def inline_code(text):
    return re.findall(r"(?<!`)`([^`\n]+)`(?!`)", prose_of(text))


# ---------------------------------------------------------------- links

def slug(heading):
    s = heading.strip().lower()
    s = re.sub(r"[`*]", "", s)
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors_of(path):
    return {slug(m.group(1)) for m in re.finditer(r"^#+ (.*)$", open(path).read(), re.M)}


def check_links(path, text, source):
    for m in re.finditer(r"\[[^\]]*\]\(([^)\s]+)\)", prose_of(text)):
        target = m.group(1)
        if re.match(r"^[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        resolved = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
        if not os.path.exists(resolved):
            fail(os.path.relpath(path, source), f"link to {target}: {os.path.relpath(resolved, source)} does not exist")
        elif anchor and resolved.endswith(".md") and anchor not in anchors_of(resolved):
            fail(os.path.relpath(path, source), f"link to {target}: no heading #{anchor} there")


# ---------------------------------------------------------------- running

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, folder, args, env):
        self.args, self.port = args, free_port()
        self.log = open(os.path.join(folder, "..", "serve.log"), "ab")
        self.process = subprocess.Popen([binary, "serve", "--port", str(self.port), "--data-dir", "./data"] + args,
                                        cwd=folder, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"soundlens serve exited with {self.process.returncode} (see serve.log)")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("soundlens serve did not answer /health within 120 s")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def output_paths(command):
    """Files a command says it writes: output options and redirections."""
    w, paths = words(command), []
    for i, token in enumerate(w[:-1]):
        if token in OUTPUT_OPTIONS or token in (">", ">>"):
            paths.append(w[i + 1])
    for token in w:
        m = re.match(r"^(--[a-z-]+)=(.+)$", token)
        if m and m.group(1) in OUTPUT_OPTIONS:
            paths.append(m.group(2))
    return [p for p in paths if "$" not in p and p not in ("/dev/null", "-")]


def expected_in_order(expected, actual):
    """Each expected line in the actual output, in order; `...` skips."""
    lines = [a.rstrip() for a in actual.split("\n")]
    at = 0
    for e in expected:
        if e.strip() in ("...", ""):
            continue
        while at < len(lines) and lines[at] != e.rstrip():
            at += 1
        if at == len(lines):
            return e
        at += 1
    return None


def run_block(block, folder, env, commands, server):
    script = ["set -eo pipefail"]
    for command, _ in commands:
        if server:
            command = re.sub(r"(127\.0\.0\.1|localhost):8000", f"127.0.0.1:{server.port}", command)
        script.append(command)
    if block.lang == "console":  # one command at a time, to compare each one's output
        for command, expected in commands:
            if server:
                command = re.sub(r"(127\.0\.0\.1|localhost):8000", f"127.0.0.1:{server.port}", command)
            r = subprocess.run(["bash", "-c", "set -eo pipefail\n" + command], cwd=folder, env=env,
                               capture_output=True, text=True, timeout=900)
            if r.returncode != 0:
                fail(block.where(), f"`{command}` exited {r.returncode}: {r.stderr.strip()[-800:]}")
                return
            missing = expected_in_order(expected, r.stdout)
            if missing is not None:
                fail(block.where(), f"`{command}` did not print {missing.strip()!r}; it printed:\n{r.stdout[-1500:]}")
    else:
        r = subprocess.run(["bash", "-c", "\n".join(script)], cwd=folder, env=env,
                           capture_output=True, text=True, timeout=1800)
        if r.returncode != 0:
            fail(block.where(), f"exited {r.returncode}: {r.stderr.strip()[-800:]}")
            return
    for command, _ in commands:
        for path in output_paths(command):
            full = os.path.join(folder, path)
            if not os.path.exists(full):
                fail(block.where(), f"`{command.strip()}` wrote no {path}")
            elif os.path.isdir(full) and not os.listdir(full):
                fail(block.where(), f"`{command.strip()}` left {path} empty")
            elif os.path.isfile(full) and os.path.getsize(full) == 0:
                fail(block.where(), f"`{command.strip()}` wrote an empty {path}")


def check_page(path, source, build, shared, coverage, options, run, scratch):
    rel = os.path.relpath(path, source)
    text = open(path).read()
    check_links(path, text, source)
    for span in inline_code(text):
        check_options(rel, span, options, bare_allowed=True)

    blocks = read_blocks(rel, text)
    folder = os.path.join(scratch, rel.replace("/", "_"), "work")
    os.makedirs(folder)
    os.symlink(shared, os.path.join(folder, "..", "shared"))
    os.symlink(build, os.path.join(folder, "build"))
    # as a newcomer runs them: none of the test run's SOUNDLENS_* settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOUNDLENS_")}
    env.update(PATH=os.path.join(build, "src") + os.pathsep + os.environ.get("PATH", ""),
               HOME=os.path.join(folder, ".."))
    binary = os.path.join(build, "src", "soundlens")
    server = None
    try:
        for block in blocks:
            if not block.lang:
                fail(block.where(), "a fenced block without a language: say sh, console, text, json, ...")
                continue
            if block.lang not in RUN_LANGS:
                if block.lang in ("text", "console", ""):
                    for line in synopsis_lines(block.lines):
                        check_options(block.where(), without_comment(line), options, False, synopsis=True)
                continue
            commands = commands_of(block)
            for command, _ in commands:
                check_options(block.where(), without_comment(command), options, bare_allowed=False)
            if block.marker.startswith("covered-by "):
                name = block.marker.split(None, 1)[1]
                if not test_exists(source, name):
                    fail(block.where(), f"covered-by {name}: no such test in tests/")
                else:
                    print(f"skip {block.where()}: covered by the test {name}", flush=True)
                continue
            to_run = []
            for command, expected in commands:
                script = coverage.literally_in_script(command)
                steps = None if script else coverage.script_steps_tested(command)
                if script or steps:
                    why = f"literally in {script}" if script else f"every step of {steps} is run by the tests"
                    print(f"skip {block.where()} `{without_comment(command)}`: {why}", flush=True)
                    continue
                to_run.append((command, expected))
            if not to_run or not run:
                continue
            needs_server = any(re.search(r"(127\.0\.0\.1|localhost):8000", without_comment(c)) for c, _ in to_run)
            args = shlex.split(block.marker[len("server"):]) if block.marker.startswith("server") else []
            if needs_server or block.marker.startswith("server"):
                if server and server.args != args:
                    server.stop()
                    server = None
                if not server:
                    server = Server(binary, folder, args, env)
            print(f"run  {block.where()} ({len(to_run)} command{'s' if len(to_run) > 1 else ''})", flush=True)
            started = time.time()
            run_block(block, folder, env, to_run, server if needs_server or block.marker.startswith("server") else None)
            print(f"     {time.time() - started:.1f} s", flush=True)
    finally:
        if server:
            server.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--only", nargs="*", help="pages to check (default: README.md and docs/*.md)")
    ap.add_argument("--no-run", action="store_true", help="check links, options and coverage only")
    a = ap.parse_args()
    source, build, shared = (os.path.abspath(p) for p in (a.source, a.build, a.shared))
    pages = [os.path.join(source, p) for p in a.only] if a.only else \
        [os.path.join(source, "README.md")] + sorted(
            os.path.join(source, "docs", f) for f in os.listdir(os.path.join(source, "docs")) if f.endswith(".md"))
    binary = os.path.join(build, "src", "soundlens")
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"no program at {binary}: build the soundlens target first")
    options = help_options(binary)
    coverage = Coverage(source)
    scratch = tempfile.mkdtemp(prefix="soundlens-docs-")
    try:
        for page in pages:
            print(f"page {os.path.relpath(page, source)}", flush=True)
            check_page(page, source, build, shared, coverage, options, not a.no_run, scratch)
    finally:
        if failures:
            print(f"(the pages' folders are kept in {scratch})")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    if failures:
        print(f"\n{len(failures)} problem(s) in the docs:\n" + "\n".join(failures))
        return 1
    print(f"docs checked: {len(pages)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
