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


# --- printf streams, one family each. RGB (38;2) colours are used only where
# they are exactly an entry of the 256-colour cube, so the client's mapping to
# 256 colours loses nothing. Left out, with the reason:
# - SGR 3 under TERM=screen*: berth reads it as standout (reverse), as GNU
#   screen does (screen-256color's smso is \E[3m); tmux shows italics. Unit
#   tests cover both readings (StandoutTests). Under the default TERM
#   (tmux-256color) it is italic, as in tmux: see italics-default-term.
# - HPR (CSI a), VPR (CSI e), CHT (CSI I), DECSTR (CSI ! p) and mode 1048:
#   tmux 3.3a has none of them and ignores them; berth does what xterm does.
#   Unit tests cover them (CursorTests, ScreenModeTests, EditingTests).
# - More than 24 parameters: tmux drops the whole sequence, berth keeps the
#   first 32 (xterm keeps the first 30); no reference to follow.
# - SGR 9 (strikethrough), underline styles 4:2 to 4:5 and SGR 21, underline
#   colour (58): the engine keeps them, but the client draws through ncurses,
#   which has no strikethrough, one underline and no underline colour; and
#   the capture writes `4:3` and `58;5;n`, which vdiff reads as other
#   attributes (4:3 as underline plus italic, 58;5;3 as blink and italic).
# - DEC graphics `+ , - . 0`: tmux draws them as arrows and a block, as berth
#   does, but vdiff's table of DEC graphics lacks them, so the captures read
#   differently. The rest of the set is in dec-graphics-all.
# - Emoji ZWJ sequences and skin-tone modifiers: the engine joins them into
#   one cell as tmux does, but ncurses' setcchar stops at the first spacing
#   character of a cell, so the client draws the base alone.
def sh(name, script, **kw):
    """A case that runs a printf script and then waits, so nothing else draws."""
    return Case(name, script + "; sleep 1000", **kw)


CASES += [
    sh("csi-parsing",
       r"printf '\e[2J\e[H\e[;5HA\e[3;H' ; printf 'B\e[0003;0010HC\e[4;1H\e[1;2;4;5;7;9;21;22;24;25;27;29;31;42;38;5;3;48;5;4;0mD'"
       r"; printf '\e[5;1HE\e[2\bC\x0bF\e[6;1H\e[1\x18G\e[7;1H\e[?1;2;3\x1aH\e[8;1H\e[12#zI\e[99;99;99!xJ\e[9;1H\e\e[4CK\e[10;1H\e[>1;2mL\e[11;1H\e]X\e\\M\e[12;1H\ePqq\e\\N\e[13;1H\e_apc\e\\O\e^pm\e\\P'"),
    sh("sgr-subparams",
       r"printf '\e[38:5:196mA\e[48:5:21mB\e[0m \e[38;5;46;48;5;238mC\e[0m \e[1;38:5:100;4mD\e[0m \e[38:2::95:135:175mE\e[0m \e[48:2::0:215:95mF\e[0m \e[38:2:0:135:0mG\e[0m \e[38;5;300mI\e[0m \e[38:5mJ\e[m K\e[2;4:0mL\e[22;24m\n'"),
    sh("sgr-16-colours",
       r"for i in 0 1 2 3 4 5 6 7; do printf '\e[3%sm fg%s \e[9%sm br%s \e[4%sm bg \e[10%sm br \e[0m\n' $i $i $i $i $i $i; done; printf '\e[1;31mbold red\e[22m not bold\e[39m default \e[7;32;44mrev\e[27m unrev\e[49m\e[0m\n\e[2;33mdim\e[5mblink\e[25m\e[8mhidden\e[28mshown\e[0m\n'"),
    sh("underline-styles",
       r"printf '\e[4mone\e[24m \e[4:1msingle\e[4:0m none \e[4;1mbold\e[4:0m \e[1;4:1mboth\e[0m \e[4m\e[24mnot\n'"),
    sh("cursor-movement",
       r"printf '\e[2J\e[10;10HA\e[3AB\e[2BC\e[5CD\e[3DE\e[2EF\e[3FG\e[20GH\e[15dI\e[30`J\e[12;40HK\e[13;41fL'"
       r"; printf '\e[99AO\e[99BP\e[99CQ\e[99DR\e[0;0HS\e[AT\e[5;5H\e[0CU\e[0BV\e[0EW\e[99;99HX\e[18;70H\e[0FY\e[20;1H'"),
    sh("erase-ed-el-ech",
       r"for i in $(seq 1 22); do printf '%02d abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ+-*/=%%\n' $i; done"
       r"; printf '\e[3;10H\e[1J\e[20;30H\e[0J\e[5;20H\e[K\e[6;20H\e[1K\e[7;20H\e[2K\e[8;5H\e[10X\e[9;5H\e[0X\e[10;75H\e[99X\e[11;1H\e[5J\e[12;1H\e[9K\e[14;30H'"),
    sh("dch-ich-rep",
       r"printf 'abcdefghijklmnopqrstuvwxyz\r\e[3C\e[2P\n0123456789\r\e[4C\e[3@\nx\e[5b|-\e[3b\n\e[70G\e[20@tail\n%079dZ\e[75G\e[99P!\n%078d\e[76G\e[2@#\n\e[b\e[0bq\e[2;5H'"),
    sh("il-dl-su-sd",
       r"for i in $(seq 1 22); do printf 'line %02d\n' $i; done; printf '\e[5;15r\e[7;1H\e[2L\e[10;1H\e[3M\e[2S\e[T\e[r\e[18;1H\e[L\e[20;1H\e[2M\e[S\e[1;1H\e[T\e[23;1Hend'"),
    sh("decstbm-decom",
       r"for i in $(seq 1 20); do printf 'row %02d\n' $i; done; printf '\e[5;10r\e[?6h\e[1;1HTOP\e[99;1HBOT\e[3;3H\e[6Aup\e[9Bdown\nscrolled\e[1;20H\e[?6l origin off\e[r\e[22;1Hdone'"),
    sh("autowrap-modes",
       r"printf '%080d' 1; printf 'X\n\e[?7l%085dY\n\e[?7h%080d\e[D\e[DZ\n%080d\bB\n%080d\e[KK\n%080d\e[1KL\n' 2 3 4 5 6; printf '\e[24;1H%080d' 7; printf 'W'"),
    sh("insert-mode",
       r"printf 'abcdef\r\e[4hXY\e[4l\n%078d\r\e[4hINS\e[4l\n\e[4h12\t3\e[4l\nwide\r\e[4h\u65e5\e[4l\n'"),
    sh("tabs-cht-cbt",
       r"printf 'a\tb\tc\n\e[30G<\e[2Z>\n\e[9G\e[g\r\tq\n\e[H\e[5B\e[3g\e[10G\eH\e[30G\eH\r\tx\ty\tz\n\e[79G\t!\n\e[40G\e[Zu\e[9Zv'"),
    sh("ind-nel-ri",
       r"for i in $(seq 1 24); do printf 'line %02d' $i; [ $i -lt 24 ] && printf '\n'; done; printf '\e[10;5Hi\eDj\eEk\e[H\eMtop\e[24;10H\eDbottom\e[5;8r\e[5;1H\eMri\e[8;1H\eDind\eEnel\e[r'"),
    sh("decsc-decrc",
       r"printf '\e[5;10H\e[1;31m\e(0\e7\e[0m\e(B\e[H plain \e8qqq\e[0m\e(B\n\e[10;20H\e[s\e[1;1Hsco\e[uR'"),
    sh("ris", r"printf 'old text\e[5;10r\e[1;31m\e(0\ec after reset qq\nline two'"),
    sh("dec-graphics-all",
       r"printf '\e(0`abcdefghijklmnopqrstuvwxyz{|}~ _\e(B\n\e)0\x0e`abcdefghijklmnopqrstuvwxyz{|}~\x0f`abc\n\e(0\e[1;32mlqqk\e[0m\x0e\x0fx\e(B ok\n'"),
    # Each coloured row starts with a plain '|': vdiff reads capture-pane -e
    # as if the SGR state were reset at each line, where tmux carries it on.
    sh("bce",
       r"printf '|\e[44mblue\e[K\e[0m\n|abcdefghij\r\e[5C\e[42m\e[3X\e[0m\n|abcdefghij\r\e[3C\e[43m\e[2P\e[0m\n|abcdefghij\r\e[3C\e[45m\e[2@\e[0m\n\n|x\n|y\e[5;1H\e[46m\e[L\e[0m\e[11;15r\e[41m\e[S\e[44m\e[T\e[0m\e[r\e[20;10H\e[42m\e[J\e[0m\e[19;1H|z'"),
    sh("alternate-screen-47",
       r"printf 'main one\nmain two\e[5;5H\e[?47halt\e[2;2Hmore\e[?47l\e[6;1Hback'"),
    sh("alternate-screen-1047",
       r"printf 'main\e[3;3H\e[?1047h\e[Halt\e[10;10H\e[?1047lX\e[?1047h\e[?1047h\e[?1047l\e[?1047lY'"),
    sh("alternate-screen-1049",
       r"printf 'main\e[3;3H\e7\e[?1049h\e[5;5Halt\e[20;1H\e[?1049lsaved\e8restored\e[?1049l\e[10;1Hnot in alt'"),
    sh("cursor-hidden", r"printf 'cursor hidden\e[?25l\e[5;5H'"),
    sh("cursor-shown-again", r"printf 'hidden then shown\e[?25l\e[5;5H\e[?25h'"),
    sh("titles",
       r"printf '\e]0;title one\a\e]2;title two\e\\\e]1;icon\aafter titles\n\e]2;%0300d\aafter a long one\n\e]8;;http://x\e\\link\e]8;;\e\\ text\n\e]52;c;aGk=\aclip\n\e]4;1;rgb:00/00/00\apalette\n' 0"),
    # What dialog leaves behind: its own exit sends rmcup (1049 l) once more
    # after the alternate screen is gone; xterm and tmux restore the cursor
    # 1049 saved, so the prompt comes back where it was.
    sh("alternate-screen-1049-left-twice",
       r"printf 'line one\nline two\n$ '; printf '\e[?1049h\e[H\e[2J\e[5;10Hdialog box'; printf '\e[?1049l\e[20;1H'; printf '\e[?1049lafter'"),
    sh("alternate-screen-tput-rmcup-twice",
       r"printf 'before\n$ '; tput smcup; tput cup 5 5; printf 'in alt'; tput rmcup; tput cup 15 0; tput rmcup; printf 'back'"),
    # The default TERM (tmux-256color in both) has italics: SGR 3 and tput sitm.
    sh("italics-default-term",
       r"printf '\e[3mitalic\e[23m plain '; tput sitm; printf 'tput italic'; tput ritm; printf ' \e[3;1mboth\e[0m\n'; echo TERM=$TERM"),
    # OSC 8 links (vdiff skips the OSC itself: the text and its style compare).
    sh("osc8-links",
       r"printf 'a \e]8;id=k1;http://example.com/\e\\link\e]8;;\e\\ b \e]8;;file:///etc/hosts\alocal\e]8;;\a \e[4;31m\e]8;;http://u\e\\red\e[0m kept\e]8;;\e\\ end\n'"),
    # Underline colours: needs the client to draw them (the render branch):
    # tmux's capture writes 58 colours, which berth's client must pass on.
    sh("underline-colour",
       r"printf '\e[4;58;5;196mred under\e[59m plain under\e[24m \e[4;58:5:33mblue\e[0m after\n'"),
    # A skin-tone modifier joins its emoji in one wide cell, as in tmux; the
    # client must draw both (the render branch: ncurses' setcchar alone
    # stops at the first spacing character).
    # No case for an emoji with a skin tone: berth joins the modifier to its
    # emoji (one character, two columns, as kitty, WezTerm and foot show it),
    # where tmux 3.3a gives the modifier two columns of its own, so the
    # reference cannot show it. ClientOutputTests checks what the client
    # writes for it.
    sh("wide-combining-emoji",
       r"printf 'e\u0301 a\u0308\u0304 \u65e5\u0301 x\n\U1F600|\n\u2764\uFE0F|\u2764|\n\U1F1EB\U1F1F7|\n%078d\u65e5\n\u00e9\u0301\u0302\n'"),
]


# --- vttest: one case per screen. Each screen is reached with keys (the menu
# number and Enter, then Enter screen by screen). Enter is pressed only once
# the screen's own text and "Push <RETURN>" are both up: vttest flushes input
# typed before it asks, so an early Enter would be lost. Screens whose text is
# the same as the one before (the 132-column repeats) are given time instead.
PUSH = "Push <RETURN>"


def screen_is(marker):
    if marker is None:
        return [("sleep", 1.0), ("wait", PUSH)]
    return [("wait", "(?s)(?=.*%s).*%s" % (marker, PUSH))]


def vttest(name, menu, markers):
    steps = [("wait", "Enter choice number"), ("text", str(menu)), ("keys", "Enter")]
    for i, marker in enumerate(markers):
        if i:
            steps += [("keys", "Enter")]
        steps += screen_is(marker)
    return Case(name, "vttest", steps=steps, settle=0.6)


def vttest_menu(prefix, menu, markers):
    return [vttest("%s-%d" % (prefix, n), menu, markers[:n]) for n in range(1, len(markers) + 1)]


# Menu 1, cursor movements: 80 and 132 columns (DECCOLM clears, the width
# stays), autowrap at both widths, controls inside sequences, leading zeros.
MENU1 = [r"free position around it", r"und this  text", r"Test of autowrap", None,
         r"cursor-control characters inside ESC", r"leading zeros"]
# Menu 2, screen features.
MENU2 = [r"WRAP AROUND", r"TAB setting", r"132 column mode, light", r"80 column mode, light",
         r"132 column mode, dark", r"80 column mode, dark",
         r"Soft scroll down region \[12\.\.13\]", r"Soft scroll down region \[1\.\.24\]",
         r"Jump scroll down region \[12\.\.13\]", r"Jump scroll down region \[1\.\.24\]",
         r"one above the bottom", r"at the top of the screen", r"Dark background",
         r"Light background", r"SAVE/RESTORE CURSOR"]
# Menu 8, VT102 insert and delete, at 80 and then 132 columns.
MENU8 = [r"Screen accordion", r"Top line: A's", r"'Insert Mode'", r"'Delete Character'",
         r"(?m:^A{79} *$)", r"(?m:^A{39} *$)", r"ANSI 'Insert Character'"]
MENU8 = MENU8 + [r"Screen accordion", r"Top line: A's", r"'Insert Mode'",
                 r"'Delete Character'", None, None, r"ANSI 'Insert Character'"]

CASES += vttest_menu("vttest-1", 1, MENU1)
# 2-11 is left out: there DECSTBM is sent in origin mode, and tmux homes the
# cursor to the screen's top-left rather than the region's, so its "bottom of
# the screen" line lands on row 2; berth homes to the region's top, as xterm
# and the VT100 do (vttest's text says where the line belongs).
CASES += [c for c in vttest_menu("vttest-2", 2, MENU2) if c.name != "vttest-2-11"]
CASES += vttest_menu("vttest-8", 8, MENU8)


def vttest_report(name, sub, steps):
    return Case(name, "vttest", settle=0.6, steps=[
        ("wait", "Enter choice number"), ("text", "6"), ("keys", "Enter"),
        ("wait", "Menu 6"), ("sleep", 0.3), ("text", str(sub)), ("keys", "Enter")] + steps)


# Menu 6, terminal reports: what the program shows of each answer (none for
# ENQ, DA3 and DECREQTPARM, as in tmux; LNM is not applied to keys, as in tmux).
CASES += [
    vttest_report("vttest-6-1-answerback", 1, [
        ("wait", "Finish this test"), ("sleep", 0.5), ("keys", "Enter"), ("wait", PUSH)]),
    vttest_report("vttest-6-2-newline", 2, [
        ("wait", "Push the RETURN key"), ("sleep", 0.3), ("keys", "Enter"),
        ("wait", "NewLine mode reset"), ("sleep", 0.3), ("keys", "Enter"), ("wait", PUSH)]),
    vttest_report("vttest-6-4-da", 4, [("wait", PUSH)]),
    vttest_report("vttest-6-6-da3", 6, [
        ("wait", "Tertiary"), ("sleep", 0.5), ("keys", "Enter"), ("wait", PUSH)]),
    vttest_report("vttest-6-7-decreqtparm", 7, [
        ("wait", "argument 0"), ("sleep", 0.5), ("keys", "Enter"), ("wait", "argument 1")]),
]
# Left out of vttest, with the reason:
# - 3 (character sets): tmux has no UK set (ESC ( A), so it shows '#' where
#   berth, like xterm and the VT100, shows '£'; and vdiff's table of DEC
#   graphics lacks '+,-.0', which tmux draws as arrows and a block as berth
#   does, so the capture reads differently. dec-graphics-all covers the rest.
# - 6.3 (DSR): tmux reports the cursor position ignoring origin mode (vttest
#   itself says "Ignores origin mode"); berth reports it relative to the
#   margins, as xterm and the VT100 do.
# - 6.5 (DA2): berth answers as GNU screen does (>83;40900;0c, which programs
#   such as vim look for under TERM=screen*), tmux as tmux (>84;0;0c).

# --- htop and top, made deterministic: the only process shown is a sleep of
# the case's own, and only columns that cannot change (no PID, no times, no
# memory or CPU figures); htop's header is the host name alone, top's summary
# is switched off with its keys (l, t t t, m m m) and its fields with f.
HTOPRC = "\\n".join([
    "htop_version=3.2.2", "config_reader_min_version=3", "hide_kernel_threads=1",
    "hide_userland_threads=1", "show_program_path=0", "header_margin=0", "screen_tabs=0",
    "enable_mouse=0", "color_scheme=0", "hide_function_bar=0", "header_layout=one_100",
    "column_meters_0=Hostname", "column_meter_modes_0=2",
    "screen:Main=USER PRIORITY NICE STATE Command", ".sort_key=USER"])
CASES += [
    Case("htop-one-process",
         "d=$(mktemp -d); mkdir $d/htop; printf '" + HTOPRC + "\\n' > $d/htop/htoprc; "
         # htop's one sample must find the child as sleep, not the shell it was
         # before its exec (a race that made the plain-tmux side differ).
         "sleep 4242 & p=$!; until [ \"$(cat /proc/$p/comm)\" = sleep ]; do :; done; "
         "XDG_CONFIG_HOME=$d exec htop -d 6000 -p $p",
         steps=[("wait", "F10"), ("sleep", 0.5)], settle=0.8),
    Case("top-one-process",
         "sleep 4243 & p=$!; until [ \"$(cat /proc/$p/comm)\" = sleep ]; do :; done; "
         "exec top -d 600 -p $p",
         steps=[("wait", "COMMAND")] + [("keys", k) for k in "l t t t m m m f d Down d Down d".split()]
         + [("keys", "Up")] * 10 + [("keys", k) for k in "d Down Down Down Down d Down d Down d q".split()],
         settle=0.8),
]
