#!/usr/bin/env bash
# Runs every command of README.md and checks every code block against the code.
#
# - sh blocks: every line runs. oauth-token is installed (debug, into a scratch
#   root); `oauth-token sandbox --port N &` starts the sandbox as written, and
#   each line it prints must fetch a token; the provider examples then run
#   verbatim with the sandbox's credentials in the variables they name and
#   <PROVIDER>_BASE_URL pointing at the sandbox. `cargo test ...` is left to
#   .ci/run, which must run it; a `--test NAME` must name a test binary.
# - text blocks: the quickstart's output is compared with the real one, token
#   lengths and lifetimes masked (they move with counters and the clock); the
#   sandbox's exactly; a compiler message must be a verbatim part of a .stderr of the
#   compile-fail suite.
# - rust blocks are doctests: tests/src/lib.rs must include the README.
#
# A block or a command this script does not know how to check fails it.
#
# Usage: scripts/readme-commands.sh   (needs the README's sandbox ports free)
# Set README_FUZZ_SECONDS to run the fuzz commands that long when nightly and
# cargo-fuzz are installed; otherwise their targets and corpora are checked.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$(mktemp -d)
sandbox_pid=
cleanup() {
    if [ -n "$sandbox_pid" ]; then
        kill "$sandbox_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "readme-commands: $*" >&2
    exit 1
}

# The output the next text block must show, and how to compare it.
expected=
comparison=
# The directory the README's commands are in (`cd` moves it).
directory=$root
# What every example line sees: oauth-token on the PATH, then the sandbox's settings.
mkdir -p "$work/home" "$work/install"
echo "export PATH='$work/install/bin':\"\$PATH\"" > "$work/env.sh"

# Runs one README line in bash with the examples' environment; it must succeed.
run_line() {
    if ! (cd "$directory" && HOME="$work/home" bash -c "set -euo pipefail; source '$work/env.sh'; $1") \
        > "$work/line.out" 2>&1; then
        fail "\`$1\` failed:
$(cat "$work/line.out")"
    fi
}

install_tool() {
    echo "  $1 (debug, into a scratch root)"
    CARGO_TARGET_DIR="$root/target" $1 --quiet --locked --debug --root "$work/install" \
        || fail "\`$1\` failed"
}

run_quickstart() {
    echo "  $1"
    ${1/cargo run/cargo run --quiet --locked} > "$work/quickstart.out" || fail "\`$1\` failed"
    expected=$work/quickstart.out
    comparison=masked
}

# Starts the sandbox as the README does, runs each line it prints, and points
# the provider examples at it.
start_sandbox() {
    echo "  $1"
    (source "$work/env.sh" && exec ${1%&}) > "$work/sandbox.out" 2> "$work/sandbox.err" &
    sandbox_pid=$!
    for _ in $(seq 100); do
        if [ "$(grep -cv '^#' "$work/sandbox.out")" -ge 5 ]; then
            break
        fi
        kill -0 "$sandbox_pid" 2>/dev/null || fail "\`$1\` stopped: $(cat "$work/sandbox.err")"
        sleep 0.1
    done
    [ "$(grep -cv '^#' "$work/sandbox.out")" -eq 5 ] || fail "\`$1\` printed $(cat "$work/sandbox.out")"
    grep -v '^#' "$work/sandbox.out" | while read -r printed; do
        echo "    $printed"
        output=$(env -i PATH="$work/install/bin:$PATH" bash -c "$printed") \
            || fail "the sandbox's line failed: $printed"
        [ "$(echo "$output" | wc -l)" -eq 1 ] || fail "not one token: $output"
    done
    expected=$work/sandbox.out
    comparison=exact
    sandbox_settings < "$work/sandbox.out" >> "$work/env.sh"
}

# Shell assignments that give the README's variables the sandbox's values.
sandbox_settings() {
    local line word previous provider
    while read -r line; do
        [[ $line == \#* ]] && continue
        read -ra words <<< "$line"
        previous=
        for word in "${words[@]}"; do
            case $previous in
                oauth-token) provider=${word^^} ;;
                --client-id) echo "export ID=$word" ;;
                --username) echo "export LOGIN=$word" ;;
                --user-email) echo "export EMAIL=$word" ;;
                --business-id) echo "export BUSINESS=$word" ;;
                --base-url) echo "export ${provider}_BASE_URL=$word" ;;
                # MyZeePay's and Daftra's declared base URLs are `{server}` and `{subdomain}`.
                --server) echo "export MYZEEPAY_BASE_URL=$word" ;;
                --subdomain) echo "export DAFTRA_BASE_URL=$word" ;;
            esac
            if [[ $word =~ ^[A-Z_]+= ]]; then
                echo "export $word"
            fi
            previous=$word
        done
    done
    # `pass show dayzero` stands for a password manager holding the API token,
    # which then comes only from standard input.
    echo 'api_token=$ONDAYZERO_API_TOKEN; unset ONDAYZERO_API_TOKEN'
    echo 'pass() { [ "$*" = "show dayzero" ] && printf "%s\n" "$api_token"; }'
    echo 'mkdir -p ~/.config/sohar && printf "%s\n" "$SOHAR_CLIENT_SECRET" > ~/.config/sohar/secret'
}

check_fuzz() {
    local target corpus
    read -r _ _ _ _ target _ corpus _ <<< "$1"
    [ -f "$directory/fuzz_targets/$target.rs" ] || fail "no fuzz target $target: $1"
    grep -q "^name = \"$target\"" "$directory/Cargo.toml" || fail "$target is not a [[bin]]: $1"
    [ -d "$directory/$corpus" ] || fail "no corpus $corpus: $1"
    if [ -n "${README_FUZZ_SECONDS:-}" ] && cargo +nightly fuzz --version > /dev/null 2>&1; then
        echo "  $1 (for ${README_FUZZ_SECONDS} s)"
        run_line "${1/max_total_time=[0-9]*/max_total_time=$README_FUZZ_SECONDS}"
    else
        echo "  $1 (target and corpus checked; README_FUZZ_SECONDS runs it)"
    fi
}

# `cargo test -p PACKAGE [--test NAME] ...`: PACKAGE is a workspace member and
# NAME one of its test binaries (Cargo's tests/NAME.rs or tests/NAME/main.rs).
check_package_test() {
    local package id directory name
    package=$(sed -E 's/.*cargo test -p ([^ ]+).*/\1/' <<< "$1")
    id=$(cargo pkgid --quiet --offline -p "$package" 2> /dev/null) \
        || fail "\`$1\`: no package $package in the workspace"
    if [[ $1 =~ --test\ ([^ ]+) ]]; then
        name=${BASH_REMATCH[1]}
        directory=${id#path+file://}
        directory=${directory%%#*}
        [ -f "$directory/tests/$name.rs" ] || [ -f "$directory/tests/$name/main.rs" ] \
            || fail "\`$1\`: $package has no test binary $name"
    fi
    echo "  $1 (a workspace member: run by .ci/run's cargo test --workspace)"
}

check_sh_block() {
    local line command
    directory=$root
    while IFS= read -r line; do
        command=$(sed -E 's/[[:space:]]+#.*$//; s/^[[:space:]]+//' <<< "$line")
        case $command in
            '' | '#'*) ;;
            'cargo test --workspace --all-features')
                grep -qF -- "$command" .ci/run || fail "\`$command\` is not what .ci/run runs"
                echo "  $command (run by .ci/run)"
                ;;
            'cargo run -p quickstart') run_quickstart "$command" ;;
            'cargo test -p '* | 'TRYBUILD=overwrite cargo test -p '*) check_package_test "$command" ;;
            'cargo install '*) install_tool "$command" ;;
            'oauth-token sandbox'*'&') start_sandbox "$command" ;;
            'cd '*)
                directory=$directory/${command#cd }
                [ -d "$directory" ] || fail "\`$command\`: no such directory"
                ;;
            'cargo +nightly fuzz run '*) check_fuzz "$command" ;;
            'cargo '*) fail "a cargo command this script does not check: $command" ;;
            *)
                echo "  $command"
                run_line "$command"
                ;;
        esac
    done < "$1"
}

# Token lengths and lifetimes as `N`: they move with the sandbox's counters and the clock.
mask() {
    sed -E 's/[0-9]+ bytes/N bytes/g; s/\b[0-9]+([dhms])\b/N\1/g' "$1"
}

check_text_block() {
    if [ -n "$expected" ]; then
        if [ "$comparison" = masked ]; then
            diff <(mask "$1") <(mask "$expected") \
                || fail "README.md:$2: the output shown differs from the real one (lengths and lifetimes aside)"
        else
            diff "$1" "$expected" || fail "README.md:$2: the output shown differs from the real one"
        fi
        echo "  output at README.md:$2 matches"
        expected=
        return
    fi
    grep -q '^ *--> ' "$1" \
        || fail "README.md:$2: a text block that is neither an output shown nor a compiler message"
    # One message per `error` line, each checked against the .stderr of the case it names.
    rm -f "$work"/message.*
    awk -v messages="$work/message" '/^error/ { count++ } { print > (messages "." count) }' "$1"
    local message source stderr
    for message in "$work"/message.*; do
        source=$(sed -nE 's/^ *--> ([^:]+\.rs):.*/\1/p' "$message" | head -n 1)
        [ -n "$source" ] || fail "README.md:$2: a compiler message without its --> line"
        stderr=$(find tests -path "*/${source%.rs}.stderr" | head -n 1)
        [ -n "$stderr" ] || fail "README.md:$2: no .stderr for $source"
        [[ $(cat "$stderr") == *"$(sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$message")"* ]] \
            || fail "README.md:$2: the message about $source is not a part of $stderr"
        echo "  compiler message at README.md:$2 is in $stderr"
    done
}

mkdir "$work/blocks"
awk -v blocks="$work/blocks" '
    /^```/ && !inside { inside = 1; count++; language = substr($0, 4); if (language == "") language = "none"
                        file = sprintf("%s/%03d.%d.%s", blocks, count, NR, language); printf "" > file; next }
    /^```/ && inside  { inside = 0; close(file); next }
    inside            { print > file }
' README.md

grep -qF 'include_str!("../../README.md")' tests/src/lib.rs \
    || fail "tests/src/lib.rs no longer doctests the README's Rust blocks"

for block in "$work"/blocks/*; do
    name=${block##*/}
    line=$(cut -d. -f2 <<< "$name")
    language=${name##*.}
    echo "README.md:$line ($language)"
    case $language in
        rust) echo "  a doctest of tests/src/lib.rs" ;;
        sh) check_sh_block "$block" ;;
        text) check_text_block "$block" "$line" ;;
        *) fail "README.md:$line: a $language block this script cannot check" ;;
    esac
done
[ -z "$expected" ] || fail "an output was produced but the README shows none after its command"
echo "Every command and block of README.md checked."
