#!/usr/bin/env bash
# Fuzz Lantern's HL7 v2 reader (ER7 + MLLP framing) with AFL++ through SharpFuzz, for a bounded time.
#   bash tools/fuzz/run.sh [seconds]      (default 60)
# Installs afl++ (apt) and the SharpFuzz instrumenter (a local dotnet tool) if missing, seeds from the test messages,
# and fails if AFL++ records any crash or hang (the inputs are left in tools/fuzz/out/findings for a test case).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
command -v afl-fuzz >/dev/null || { as_root apt-get update -qq; as_root apt-get install -y -qq afl++ >/dev/null; }
[ -x out/tools/sharpfuzz ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path out/tools >/dev/null
rm -rf out/app out/findings out/seeds && mkdir -p out/seeds
dotnet publish Hl7Fuzz -c Release -o out/app --nologo -v quiet
out/tools/sharpfuzz out/app/Lantern.Hl7v2.dll
# Seeds: small real messages (AFL++ works best from short inputs), plus the nHapi fuzzer finds.
data=../../tests/Lantern.Tests/Interop/TestData/hl7v2
mapfile -t seeds < <(find "$data" -path '*dev*' -type f \( -name '*.hl7' -o -name '*.txt' -o -path '*BadInputs*' \) -size -4k | sort)
for f in "${seeds[@]:0:40}"; do cp "$f" "out/seeds/$(echo "$f" | md5sum | cut -c1-12)"; done
AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
  afl-fuzz -V "$seconds" -i out/seeds -o out/findings -t 5000 -m none -- dotnet out/app/Hl7Fuzz.dll > out/afl.log 2>&1 || true
stats=out/findings/default/fuzzer_stats
[ -f "$stats" ] || { tail -20 out/afl.log; echo "fuzz: AFL++ did not run"; exit 1; }
grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs) ' "$stats"
crashes=$(awk '/^saved_crashes/{print $3}' "$stats"); hangs=$(awk '/^saved_hangs/{print $3}' "$stats")
if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then echo "fuzz: $crashes crash(es), $hangs hang(s): see out/findings/default/"; exit 1; fi
echo "fuzz: no crashes or hangs in ${seconds}s"
