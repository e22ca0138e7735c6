# Differential cases for extended keys (see cases.py): a program that asks
# for modifyOtherKeys and prints what it reads (cat -v), with keys sent by
# tmux send-keys. Both panes' tmux has extended-keys on (set by the case's
# own command through $TMUX, which berth passes on to its window), so when
# berth asks its terminal for extended keys, tmux sends them to the berth
# client as it sends them to a pane that asked.
#
# What can be compared: keys legacy bytes can say (C-b, Esc, Tab, C-Left)
# reach a program that asked for extended keys unchanged through berth's
# parsing of what tmux sent, and a program that asked nothing gets legacy
# bytes for C-Enter and C-; in both.
#
# Left out, with the reason:
# - C-Enter and C-; for a modifyOtherKeys program: tmux 3.3a sends them as
#   CSI 13;5u and CSI 59;5u whatever the pane asked (xterm's formatOtherKeys
#   1 form), and C-b as ^B even at level 2; berth sends what xterm sends
#   for the level asked (CSI 27;5;13~, and CSI 27;5;98~ for C-b at level 2).
# - A program that asks for kitty's CSI u keys (CSI > 1 u): tmux 3.3a has no
#   kitty keyboard protocol, so the reference program gets legacy bytes
#   (C-Enter as \r), while through berth it gets CSI 13;5u, as it asked.
# The end-to-end tests (ExtendedKeyTests) check both against what kitty and
# xterm send.

PROGRAM = "tmux set -s extended-keys on; stty raw -echo; printf '{modes}ready\\r\\n'; exec cat -v"

CASES = [
    Case("keys-extended-legacy-keys", PROGRAM.format(modes="\\e[>4;1m"),
         steps=[("wait", "ready"), ("keys", "C-b"), ("keys", "Escape"), ("keys", "Tab"),
                ("keys", "BSpace"), ("keys", "C-Left"), ("keys", "F5"), ("keys", "M-x"),
                ("keys", "Enter"), ("text", "x")]),
    Case("keys-asked-nothing", PROGRAM.format(modes=""),
         steps=[("wait", "ready"), ("keys", "C-Enter"), ("keys", "C-\\;"), ("keys", "C-b"),
                ("keys", "M-C-Enter"), ("text", "x")]),
]
