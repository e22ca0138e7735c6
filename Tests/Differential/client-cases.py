# Differential cases for the client's side (see cases.py): colours as the
# user's terminal can show them (run with COLORTERM=truecolor: the panes of
# vdiff take RGB), and keys typed in each of the program's modes.

CASES = [
    Case("rgb-colours", "printf '\\e[38;2;10;200;30mfg\\e[48;2;200;10;30mbg\\e[0m \\e[38:2::1:2:3mcolon\\e[0m\\n'; sleep 1000"),
    Case("rgb-gradient", "for i in $(seq 0 8 255); do printf \"\\e[48;2;${i};$((255 - i));128m \"; done; printf '\\e[0m\\n'; sleep 1000"),
    Case("vim-keys-normal-and-insert", "vim -u NONE -N -i NONE /etc/services",
         steps=[("wait", r'"/etc/services"'), ("sleep", 0.3), ("keys", "End"), ("keys", "PageDown"),
                ("keys", "Down Down Right Right"), ("text", "i"), ("text", "<ins>"), ("keys", "Left Left"),
                ("keys", "BSpace"), ("keys", "Escape"), ("keys", "Home"), ("keys", "C-f")]),
    Case("less-keys", "seq 1 1000 | less",
         steps=[("wait", "1"), ("keys", "PageDown"), ("keys", "Down Down Down"), ("keys", "End"),
                ("keys", "Home"), ("keys", "PageDown")]),
    Case("bash-paste", "PS1='$ ' bash --norc --noprofile",
         steps=[("wait", r"\$"), ("paste", "echo pasted-one\necho pasted-two\n"), ("wait", "pasted-two")]),
]
