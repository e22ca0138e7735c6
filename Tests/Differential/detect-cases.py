# Differential cases for what the client finds out about the user's
# terminal by itself. Run WITHOUT COLORTERM (scripts/test.sh unsets it):
# vdiff's panes are tmux 3.3a panes, which set no COLORTERM, whose entry
# (tmux-256color) has no RGB flag, and whose tmux answers XTVERSION
# ("tmux 3.3a") and DA2 (84, 'T'). berth's client must find from the
# answers that its terminal takes RGB, and draw RGB colours as RGB, as the
# program did straight in the pane. (Needs the renderer that draws RGB by
# Renderer.features: until then these cases show the nearest palette colours.)

CASES = [
    Case("rgb-without-colorterm",
         "printf '\\e[38;2;10;200;30mfg\\e[48;2;200;10;30mbg\\e[0m \\e[38:2::1:2:3mcolon\\e[0m\\n'; sleep 1000"),
    # Drawn after the answers came: the program waits a moment first.
    Case("rgb-gradient-after-answers",
         "sleep 0.5; for i in $(seq 0 8 255); do printf \"\\e[48;2;${i};$((255 - i));128m \"; done; printf '\\e[0m\\n'; sleep 1000"),
]
