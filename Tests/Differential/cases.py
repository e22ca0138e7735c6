# berth's own differential cases for ../shared/tools/vdiff.py: each runs the
# same program with the same keys straight in tmux and through berth, and the
# two screens must match cell by cell. Run by scripts/test.sh.
# (C-a is berth's command key, so no case types it; Home does its job.)

CASES = [
    # bash with readline: cursor keys, insertion, word erase, history.
    Case("bash-readline", "PS1='$ ' bash --norc --noprofile",
         steps=[("wait", r"\$"), ("text", "echo hello world"), ("keys", "Home"),
                ("keys", "Right Right Right Right Right"), ("text", "X"), ("keys", "End"),
                ("text", " tail"), ("keys", "C-w"), ("text", "end"), ("keys", "Enter"),
                ("wait", "hello"), ("keys", "Up"), ("keys", "C-u"), ("text", "printf '\\e[1;32mgreen\\e[0m\\n'"),
                ("keys", "Enter"), ("wait", "green")]),
    # vim: insert, arrows, visual selection, search highlight, a vertical split.
    Case("vim-edit-visual-search", "vim -u NONE -N -i NONE -c 'set number hlsearch' /etc/services",
         steps=[("wait", r'"/etc/services"'), ("sleep", 0.3), ("text", "30G"), ("text", "O"),
                ("text", "typed in insert mode"), ("keys", "Left Left Left Left"), ("text", "!"),
                ("keys", "Escape"), ("keys", "Down Down"), ("text", "Vjj"), ("sleep", 0.2),
                ("keys", "Escape"), ("text", "/tcp"), ("keys", "Enter")]),
    Case("vim-vsplit", "vim -u NONE -N -i NONE /etc/services",
         steps=[("wait", r'"/etc/services"'), ("sleep", 0.3), ("text", ":vsplit"), ("keys", "Enter"),
                ("sleep", 0.2), ("text", "40G")]),
    Case("vim-resize", "vim -u NONE -N -i NONE -c 'set number' /etc/services",
         steps=[("wait", r'"/etc/services"'), ("sleep", 0.3), ("resize", (100, 30)), ("sleep", 0.5),
                ("text", "50G")]),
    # less: paging, search highlight, backwards, resize.
    Case("less-search-back", "seq 1 1000 | less",
         steps=[("wait", "1"), ("text", "/99"), ("keys", "Enter"), ("text", "n"), ("text", "b")]),
    Case("less-resize", "seq 1 1000 | less",
         steps=[("wait", "1"), ("keys", "Space"), ("resize", (60, 15)), ("sleep", 0.5), ("keys", "Space")]),
    # man: bold and underline through the pager.
    Case("man-ls", "MANPAGER=less man ls", steps=[("wait", "NAME"), ("keys", "Space")]),
    # python's REPL with readline and colour output.
    Case("python-repl", "python3 -q",
         steps=[("wait", ">>>"), ("text", "6*7"), ("keys", "Enter"),
                ("text", "print('\\x1b[7mreverse\\x1b[0m', '\\u65e5\\u672c')"), ("keys", "Enter"),
                ("wait", "reverse")]),
    # printf streams: one family each.
    Case("scroll-region", "printf '\\e[2J\\e[3;8r\\e[8;1H'; seq 1 12; printf '\\e[r\\e[20;1Hdone'; sleep 1000"),
    Case("insert-delete", "printf 'abcdefgh\\n12345678\\nline3\\nline4\\e[1;3H\\e[2@XY\\e[2;2H\\e[3P\\e[3;1H\\e[L\\e[4;1H\\e[M\\e[6;1H'; sleep 1000"),
    Case("erase-with-colour", "printf 'xxxxxxxxxx\\n\\e[44myyyy\\e[K\\e[0m\\n\\e[41m\\e[2Kzz\\e[0m\\n'; sleep 1000"),
    Case("alternate-screen", "printf 'main text\\n\\e[?1049h\\e[Halt text\\e[?1049l'; sleep 1000"),
    Case("colours-256", "for i in $(seq 0 255); do printf \"\\e[38;5;${i}m%3d\\e[48;5;$(( 255 - i ))m \\e[0m\" $i; done; echo; sleep 1000"),
    Case("attributes", "printf '\\e[1mbold\\e[0m \\e[2mdim\\e[0m \\e[4munder\\e[0m \\e[5mblink\\e[0m \\e[7mrev\\e[0m \\e[8mhid\\e[0m \\e[1;4;7mall\\e[0m\\n'; sleep 1000"),
    Case("dec-graphics", "printf '\\e(0lqqqk\\nx   x\\nmqqqj\\e(B\\n\\e)0\\x0eaaa\\x0fplain\\n'; sleep 1000"),
    Case("wide-at-margin", "printf '%079d\\u65e5X\\n\\u65e5\\u672c\\u8a9e\\n'; sleep 1000"),
    Case("tabs", "printf 'a\\tb\\tc\\n\\e[3g\\e[5G\\eH\\e[1Gx\\ty\\n'; sleep 1000"),
    Case("wrap-pending", "printf '%080d\\rZ\\n%080d'; printf 'W'; sleep 1000"),
]
