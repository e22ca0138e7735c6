# Differential cases for screen's everyday features: after switching
# windows, splitting and unsplitting, copy mode, the window list and a
# status line, and coming back, the window's screen must be exactly what
# the program drew (compared with the program run straight in tmux).
# The reference pane gets the same keys: `stty -echo` and a sleeping
# program keep them from showing there.

DRAW = ("stty -echo; printf '\\e[1;31mred\\e[0m line one\\n\\e[44mblue back\\e[0m\\n'; "
        "seq 1 30; printf 'wide \\u65e5\\u672c and e\\u0301 end'; sleep 1000")

CASES = [
    Case("switch-window-and-back", DRAW,
         steps=[("wait", "end"), ("keys", "C-a"), ("text", "c"), ("sleep", 0.5),
                ("text", "echo other window"), ("keys", "Enter"), ("sleep", 0.3),
                ("keys", "C-a"), ("text", "p"), ("sleep", 0.3)]),
    Case("other-window-and-back", DRAW,
         steps=[("wait", "end"), ("keys", "C-a"), ("text", "c"), ("sleep", 0.5),
                ("keys", "C-a C-a"), ("sleep", 0.3)]),
    Case("split-and-unsplit", DRAW,
         steps=[("wait", "end"), ("keys", "C-a"), ("text", "S"), ("sleep", 0.4),
                ("keys", "C-a"), ("text", "Q"), ("sleep", 0.4)]),
    Case("vertical-split-and-remove", DRAW,
         steps=[("wait", "end"), ("keys", "C-a"), ("text", "|"), ("sleep", 0.4),
                ("keys", "C-a Tab"), ("sleep", 0.2), ("keys", "C-a"), ("text", "X"), ("sleep", 0.4)]),
    Case("copy-mode-and-out", DRAW,
         steps=[("wait", "end"), ("keys", "C-a"), ("text", "["), ("sleep", 0.2),
                ("text", "kkkk0w"), ("keys", "C-u"), ("sleep", 0.2), ("keys", "Escape"), ("sleep", 0.3),
                ("text", " "), ("sleep", 0.3)]),  # a key typed clears the message line
    Case("copy-mode-search-and-quit", DRAW,
         steps=[("wait", "end"), ("keys", "C-a"), ("text", "["), ("sleep", 0.2),
                ("text", "?blue"), ("keys", "Enter"), ("sleep", 0.2), ("text", "q"), ("sleep", 0.3),
                ("text", " "), ("sleep", 0.3)]),
    Case("window-list-and-back", DRAW,
         steps=[("wait", "end"), ("keys", "C-a"), ("text", "\""), ("sleep", 0.3),
                ("keys", "Escape"), ("sleep", 0.3)]),
    Case("status-line-on-and-off", DRAW,
         steps=[("wait", "end"), ("keys", "C-a"), ("text", ":hardstatus alwayslastline"),
                ("keys", "Enter"), ("sleep", 0.4), ("keys", "C-a"), ("text", ":hardstatus off"),
                ("keys", "Enter"), ("sleep", 0.4)]),
]
