# hnbsim.bash: bash completion for hnbsim(1), installed as
# share/bash-completion/completions/hnbsim (loaded on first use of hnbsim).
#
# Commands and options are read from the program's own help (`hnbsim --help`,
# `hnbsim <command> --help`), so they cannot drift from it, and a new
# subcommand completes as soon as it is in the help. Values: --out a folder,
# --paths-out a file, --format png,pdf,svg, --scenario the scenario names of
# the scenario file on the line (else of the installed Sutton scenarios),
# --fit the names in the file's calibration block; other arguments complete
# .json files and folders. Scenario names are read with python3 when it is
# there; without it they are not offered. Needs only bash (no bash-completion
# helpers), so it also works when sourced by hand.

_hnbsim_scenario_file() {
    # the first .json argument on the line, else the installed Sutton file
    local w
    for w in "${COMP_WORDS[@]:2}"; do
        case $w in *.json) [[ -f $w ]] && { printf '%s\n' "$w"; return; } ;; esac
    done
    local bin dir
    bin=$(command -v -- "${COMP_WORDS[0]}" 2>/dev/null) || return
    dir=${bin%/*}/../share/hnbsim/scenarios/sutton/sutton.json
    [[ -f $dir ]] && printf '%s\n' "$dir"
}

_hnbsim_json_names() {
    # $1: "scenarios" (the scenario names) or "fit" (calibration.fit)
    local file
    file=$(_hnbsim_scenario_file) || return
    [[ -n $file ]] && command -v python3 >/dev/null 2>&1 || return
    python3 - "$1" "$file" 2>/dev/null <<'PY'
import json, sys
d = json.load(open(sys.argv[2], encoding="utf-8"))
names = d.get("scenarios", {}) if sys.argv[1] == "scenarios" else d.get("calibration", {}).get("fit", [])
print("\n".join(names))
PY
}

_hnbsim() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local bin=${COMP_WORDS[0]} cmd="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; break ;; esac
    done
    local IFS=$'\n'
    COMPREPLY=()
    if [[ -z $cmd ]]; then
        local words
        words=$("$bin" --help 2>/dev/null | sed -n 's/^  hnbsim \([a-z][a-z0-9-]*\).*/\1/p' | sort -u)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W $'--help\n--version' -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$words" -- "$cur"))
        fi
        return
    fi
    case $prev in
    --out)
        COMPREPLY=($(compgen -d -- "$cur"))
        return ;;
    --paths-out)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    --format)
        # a comma-separated list: complete the last item
        local head=${cur%,*} last=${cur##*,}
        [[ $cur == *,* ]] && head="$head," || head=""
        COMPREPLY=($(compgen -P "$head" -W $'png\npdf\nsvg' -- "$last"))
        compopt -o nospace 2>/dev/null
        return ;;
    --scenario)
        COMPREPLY=($(compgen -W "$(_hnbsim_json_names scenarios)" -- "$cur"))
        return ;;
    --fit)
        COMPREPLY=($(compgen -W "$(_hnbsim_json_names fit)" -- "$cur"))
        return ;;
    --paths | --seed | --threads)
        return ;;
    esac
    if [[ $cur == -* ]]; then
        local opts
        opts=$("$bin" "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X '!*.json' -- "$cur"))
    compopt -o filenames 2>/dev/null
}
complete -F _hnbsim hnbsim
