// The ncursesw API for Swift. SwiftPM drops pkg-config's -D flags, so the
// wide-character declarations are switched on here; the macros Swift cannot
// import (A_*/WA_* attributes, getmaxyx, ACS, the global screen variables)
// get static inline twins named berth_*.
#ifndef BERTH_CNCURSES_SHIM_H
#define BERTH_CNCURSES_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <langinfo.h>
#include <locale.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// Attributes (attr_t), for setcchar.
static const attr_t BERTH_WA_NORMAL = WA_NORMAL;
static const attr_t BERTH_WA_BOLD = WA_BOLD;
static const attr_t BERTH_WA_DIM = WA_DIM;
static const attr_t BERTH_WA_ITALIC = WA_ITALIC;
static const attr_t BERTH_WA_UNDERLINE = WA_UNDERLINE;
static const attr_t BERTH_WA_BLINK = WA_BLINK;
static const attr_t BERTH_WA_REVERSE = WA_REVERSE;
static const attr_t BERTH_WA_INVIS = WA_INVIS;
static const attr_t BERTH_WA_STANDOUT = WA_STANDOUT;
static const attr_t BERTH_WA_ALTCHARSET = WA_ALTCHARSET;

// The same bits as chtype, for the narrow calls (attrset, bkgdset).
static const chtype BERTH_A_NORMAL = A_NORMAL;
static const chtype BERTH_A_REVERSE = A_REVERSE;
static const chtype BERTH_A_ALTCHARSET = A_ALTCHARSET;
static const chtype BERTH_A_CHARTEXT = A_CHARTEXT;

// Globals that Swift 6 would call shared mutable state.
static inline WINDOW *berth_stdscr(void) { return stdscr; }
static inline WINDOW *berth_curscr(void) { return curscr; }
static inline int berth_colors(void) { return COLORS; }
static inline int berth_color_pairs(void) { return COLOR_PAIRS; }

static inline void berth_getmaxyx(WINDOW *win, int *y, int *x) {
  int yy, xx;
  getmaxyx(win, yy, xx);
  *y = yy;
  *x = xx;
}

// The chtype the ACS macro for VT100 letter `c` gives (ACS_HLINE is 'q'):
// the terminal's alternate character, or an ASCII fallback, with A_ALTCHARSET.
static inline chtype berth_acs(unsigned char c) { return NCURSES_ACS(c); }

// Whether the current locale's charset is UTF-8 (after setlocale).
static inline int berth_locale_is_utf8(void) {
  const char *set = nl_langinfo(CODESET);
  return set != NULL && (strcmp(set, "UTF-8") == 0 || strcmp(set, "utf8") == 0);
}

// glibc declares wcwidth only under _XOPEN_SOURCE, which Swift's Glibc
// module is not built with.
extern int wcwidth(wchar_t c);
static inline int berth_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }

// tiparm is variadic, which Swift cannot call: one and two parameters.
static inline const char *berth_tiparm1(const char *cap, int a) { return tiparm(cap, a); }
static inline const char *berth_tiparm2(const char *cap, int a, int b) {
  return tiparm(cap, a, b);
}

#endif
