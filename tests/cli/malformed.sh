#!/usr/bin/env bash
# The malformed-input corpus (tests/malformed/): every NAME.json or NAME.json.gz
# there must be rejected by `mvm info` and by `mvm convert` with exit code 2 and a
# message on stderr that names the file and contains the line of NAME.expect
# (which includes the JSON path), without any sanitizer report, and convert must
# leave no output behind. One TAP test per corpus file.
#
# Environment (set by meson): MVM_BIN, the mvm executable; MVM_TESTS, the tests
# directory. MVM_WRAPPER, when set, is a command to run mvm under, e.g.
# "valgrind -q --error-exitcode=99 --leak-check=full"; exit code 99 is a failure.
set -u

: "${MVM_BIN:?MVM_BIN must name the mvm executable}"
: "${MVM_TESTS:?MVM_TESTS must name the tests directory}"
corpus="$MVM_TESTS/malformed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mvm-malformed.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

read -r -a wrapper <<<"${MVM_WRAPPER:-}"

shopt -s nullglob
files=("$corpus"/*.json "$corpus"/*.json.gz)
shopt -u nullglob
if [ "${#files[@]}" -eq 0 ]; then
    echo "Bail out! no corpus files in $corpus"
    exit 1
fi
mapfile -t files < <(printf '%s\n' "${files[@]}" | LC_ALL=C sort)

# Runs one mvm command on $file; prints the reason it fails, nothing when it passes.
check() {
    local file=$1 expect=$2 cmd=$3 out="$tmp/out.json" rc
    rm -f "$tmp"/out.json*
    local args=("$cmd" "$file")
    [ "$cmd" = convert ] && args+=(-o "$out")
    ${wrapper[@]+"${wrapper[@]}"} "$MVM_BIN" "${args[@]}" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    if [ "${#wrapper[@]}" -gt 0 ] && [ "$rc" -eq 99 ]; then
        echo "mvm $cmd: ${wrapper[0]} reported errors"
    elif [ "$rc" -ne 2 ]; then
        echo "mvm $cmd exited with $rc, expected 2"
    elif grep -qE 'runtime error|AddressSanitizer|LeakSanitizer|Segmentation' "$tmp/stderr"; then
        echo "mvm $cmd: sanitizer or crash report on stderr"
    elif ! grep -qF -- "$file" "$tmp/stderr"; then
        echo "mvm $cmd: stderr does not name the file"
    elif ! grep -qF -- "$expect" "$tmp/stderr"; then
        echo "mvm $cmd: stderr lacks the expected message"
    elif [ -n "$(find "$tmp" -maxdepth 1 -name 'out.json*' -print -quit)" ]; then
        echo "mvm convert left an output file behind"
    fi
}

echo "1..${#files[@]}"
failed=0
n=0
for file in "${files[@]}"; do
    n=$((n + 1))
    name=${file##*/}
    base=${name%.gz}
    base=${base%.json}
    reason=""
    expect=""
    rm -f "$tmp/stderr"
    if [ ! -f "$corpus/$base.expect" ]; then
        reason="missing $base.expect"
    else
        IFS= read -r expect <"$corpus/$base.expect"
        [ -n "$expect" ] || reason="$base.expect is empty"
    fi
    for cmd in info convert; do
        [ -z "$reason" ] || break
        reason=$(check "$file" "$expect" "$cmd")
    done
    if [ -z "$reason" ]; then
        echo "ok $n - $name"
    else
        failed=$((failed + 1))
        echo "not ok $n - $name # $reason"
        [ -z "$expect" ] || echo "#   expected: $expect"
        [ -f "$tmp/stderr" ] && sed 's/^/#   stderr: /' "$tmp/stderr"
    fi
done
[ "$failed" -eq 0 ]
