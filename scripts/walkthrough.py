#!/usr/bin/env python3
"""Turn the README's walk-through (between <!-- walkthrough --> and
<!-- /walkthrough -->) into a bash script, word for word:

* a ```yaml block whose first line is `# PATH` is written to PATH;
* each line of a ```sh block is run as is, in one shell (so `cd` holds);
  it must exit 0, or the code its comment names (`# exit 1: ...`);
* each line of a ```text block must appear (spaces at the ends ignored)
  in the output of the commands of the sh block before it; a line ending
  in ` ...` only has to start a line of the output.

Usage: walkthrough.py README.md > steps.sh
"""
import re
import shlex
import sys

text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<!-- walkthrough -->\n(.*?)<!-- /walkthrough -->", text, re.S)
if not m:
    sys.exit("README.md: no <!-- walkthrough --> section")
blocks = re.findall(r"^( *)```(\w+)\n(.*?)^\1```$", m.group(1), re.S | re.M)
if not blocks:
    sys.exit("README.md: the walk-through has no code blocks")

out = ["set -u", 'log="$WALK_LOG"', ': > "$log"', "n=0"]
for indent, lang, body in blocks:
    lines = [l[len(indent):] if l.startswith(indent) else l for l in body.splitlines()]
    if lang == "yaml":
        first = lines[0] if lines else ""
        if not re.fullmatch(r"# [\w./-]+", first):
            continue  # an example, not a file to write
        path = first[2:]
        content = "\n".join(lines) + "\n"
        out.append(f"mkdir -p \"$(dirname {shlex.quote(path)})\"")
        out.append(f"printf %s {shlex.quote(content)} > {shlex.quote(path)}")
        out.append(f"echo '--- wrote {path}'")
    elif lang == "sh":
        out.append(': > "$log"')
        for line in lines:
            cmd = line.strip()
            if not cmd or cmd.startswith("#"):
                continue
            want = 0
            em = re.search(r"#\s*exit (\d+)", cmd)
            if em:
                want = int(em.group(1))
            out.append(f"echo {shlex.quote('$ ' + cmd)}")
            # eval in this shell: `cd` and variables carry over.
            out.append(f"eval {shlex.quote(cmd)} > \"$log.one\" 2>&1; rc=$?")
            out.append('cat "$log.one"; cat "$log.one" >> "$log"')
            out.append(
                f"if [ $rc -ne {want} ]; then echo \"walk-through: exit $rc, want {want}: \"{shlex.quote(cmd)}; exit 1; fi"
            )
    elif lang == "text":
        for line in lines:
            want = line.strip()
            if not want:
                continue
            # `text ...` shows the start of a longer line.
            if want.endswith(" ..."):
                test = "index($0, w) == 1"
                want_text = want[:-4]
            else:
                test = "$0 == w"
                want_text = want
            out.append(
                f"if ! sed 's/^[[:space:]]*//; s/[[:space:]]*$//' \"$log\" | "
                f"awk -v w={shlex.quote(want_text)} '{test} {{ found = 1 }} END {{ exit !found }}'; then "
                f"echo 'walk-through: output lacks: '{shlex.quote(want)}; exit 1; fi"
            )
out.append("echo 'walk-through: every step as the README says'")
print("\n".join(out))
