# Differential cases for the client's side (see cases.py): colours as the
# user's terminal can show them (run with COLORTERM=truecolor: the panes of
# vdiff take RGB), and keys typed in each of the program's modes.

CASES = [
    Case("rgb-colours", "printf '\\e[38;2;10;200;30mfg\\e[48;2;200;10;30mbg\\e[0m \\e[38:2::1:2:3mcolon\\e[0m\\n'; sleep 1000"),
    Case("rgb-gradient", "for i in $(seq 0 8 255); do printf \"\\e[48;2;${i};$((255 - i));128m \"; done; printf '\\e[0m\\n'; sleep 1000"),
    # Attributes ncurses could not draw: the client writes SGR 9 (the entry's
    # smxx) and SGR 3 (sitm) itself. SGR 3 reaches the window as italic where
    # the window's TERM says so (not under screen*, where it is standout).
    Case("strikethrough-and-attributes",
         "printf '\\e[9mstruck\\e[0m \\e[1;9mbold-struck\\e[0m \\e[2mdim\\e[0m \\e[4mline\\e[0m \\e[7mrev\\e[0m \\e[1;4;7;9mall\\e[22mnotbold\\e[0m\\n'; sleep 1000"),
    Case("italics-and-strikethrough",
         "printf '\\e[3mitalic\\e[0m \\e[3;9mboth\\e[23mstruck\\e[0m \\e[9;38;5;208mpalette\\e[0m\\n'; sleep 1000"),
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
