// screen's string escapes one by one; the expected text is what screen 4.9
// shows for the same windows (six windows, 3 shown after 5).
import BerthTerminal
import Testing

@testable import BerthServer

@Suite struct StatusEscapeTests {
  @Test func windowNumberAndTitle() {
    #expect(Status.text("[%n|%3n|%-3n|%03n|%t]") == "[3|  3|  3|  3|three]")
    let none = Status.context(current: nil)
    #expect(Status.text("[%n|%3n|%t]", none) == "[-| --|]")
  }

  @Test func windowLists() {
    #expect(Status.text("%w") == "0 zero  1 one  2 twotwotwo  3* three  4 four  5 five")
    #expect(Status.text("[%-w]") == "[0 zero  1 one  2 twotwotwo  ]")
    #expect(Status.text("[%+w]") == "[  4 four  5 five]")
    #expect(Status.text("%W") == "0 zero  1 one  2 twotwotwo  4 four  5 five")
    // L: the other window's - and the flags.
    #expect(
      Status.text("%Lw", width: 80) == "0 zero  1 one  2 twotwotwo  3* three  4 four  5- five")
    #expect(Status.text("[%-Lw]") == "[0 zero  1 one  2 twotwotwo  ]")
    #expect(Status.text("[%+Lw]") == "[  4 four  5- five]")
    #expect(Status.text("%LW") == "0 zero  1 one  2 twotwotwo  4 four  5- five")
  }

  @Test func windowListsAtTheEdges() {
    let first = Status.context(current: 0, previous: nil)
    #expect(
      Status.text("[%-w][%+w]", first, width: 80)
        == "[][  1 one  2 twotwotwo  3 three  4 four  5 five]")
    let none = Status.context(current: nil)
    #expect(Status.text("[%-w]", none) == "[]")
    // %-W never meets the current window, so it lists the others.
    #expect(Status.text("%-W", width: 80) == "0 zero  1 one  2 twotwotwo  4 four  5 five")
  }

  @Test func windowListTitlesAreCutAtTwentyColumns() {
    var ctx = Status.context()
    ctx.windows[1].title = "averyveryverylongtitlename_xyz"
    #expect(Status.text("%W", ctx, width: 80).hasPrefix("0 zero  1 averyveryverylongtit  2 "))
  }

  @Test func flagsAndTheirRenditions() {
    var ctx = Status.context()
    ctx.windows[3].shownTwice = true
    ctx.windows[3].activity = true
    ctx.windows[3].bell = true
    ctx.windows[3].logged = true
    ctx.windows[3].ended = true
    #expect(Status.text("[%f]", ctx) == "[&@!(L)Z]")
    #expect(Status.text("[%f]") == "[]")
    ctx.windows[1].logged = true
    #expect(Status.text("[%-Lw]", ctx) == "[0 zero  1(L) one  2 twotwotwo  ]")
    // Windows wanting attention: bell underlined and bold, activity bold,
    // silence underlined, each in place of the line's attributes.
    var marks = Status.context()
    marks.windows[0].bell = true
    marks.windows[1].activity = true
    marks.windows[2].silence = true
    let cells = Status.cells("%w", marks, width: 80)
    #expect(Status.style(of: "0 zero", in: cells)?.attributes == [.underline, .bold])
    #expect(Status.style(of: "1 one", in: cells)?.attributes == [.bold])
    #expect(Status.style(of: "2 two", in: cells)?.attributes == [.underline])
    #expect(Status.style(of: "3* three", in: cells)?.attributes == [.standout])
    #expect(Status.style(of: "  1", in: cells)?.attributes == [.standout])
  }

  @Test func commandSessionHostAndPids() {
    #expect(Status.text("[%x|%X|%S|%H|%p|%+p]") == "[sleep 1000|sleep|work|host|4242|4343]")
  }

  @Test func encodingUsersAndTheCommandKey() {
    #expect(Status.text("[%e|%u|%?%E[e]%:no%?]") == "[ UTF-8||no]")
  }

  @Test func focusAndCopyMode() {
    var ctx = Status.context()
    #expect(Status.text("%?%F[f]%:[no]%?|%?%-F[m]%?|%?%P[copy]%?", ctx) == "[no]|[m]|")
    ctx.focused = true
    ctx.copyMode = true
    #expect(Status.text("%?%F[f]%:[no]%?|%?%-F[m]%?|%?%P[copy]%?", ctx) == "[f]||[copy]")
  }

  @Test func unknownEscapesAreTheWindowNumberAndTheLetter() {
    #expect(Status.text("|%b|%5|%L|%o|%-g|abc%") == "|3b|    3|3|3o|3g|abc3")
    #expect(Status.text("%5%n") == "    33")
  }

  @Test func percentAndCarets() {
    #expect(Status.text("100%% a^Gb^^c^1^%n") == "100% ab^c1%n")
  }

  @Test func timeAndDate() throws {
    func matches(_ format: String, _ pattern: String) throws -> Bool {
      let text = Status.text(format)
      return try Regex(pattern).wholeMatch(in: text) != nil
    }
    #expect(try matches("%c", "( [0-9]|1[0-9]|2[0-3]):[0-5][0-9]"))
    #expect(try matches("%0c", "([01][0-9]|2[0-3]):[0-5][0-9]"))
    #expect(try matches("%C", "( [1-9]|1[0-2]):[0-5][0-9]"))
    #expect(try matches("%0C", "(0[1-9]|1[0-2]):[0-5][0-9]"))
    #expect(try matches("%a|%A", "(am|AM|pm|PM)\\|(AM|PM)"))
    #expect(try matches("%d.%m.%y %Y %s", "[0-3][0-9]\\.[01][0-9]\\.[0-9]{2} 2[0-9]{3} [0-5][0-9]"))
    #expect(
      try matches(
        "%D %LD", "(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Sun|Mon|Tues|Wednes|Thurs|Fri|Satur)day"))
    #expect(try matches("%M %LM", "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [A-Z][a-z]+"))
    let day = Status.text("%D %LD").split(separator: " ")
    #expect(day.count == 2 && day[1].hasPrefix(day[0]))
  }

  @Test func loadAverage() throws {
    #expect(
      try Regex("[0-9]+\\.[0-9]{2} [0-9]+\\.[0-9]{2} [0-9]+\\.[0-9]{2}").wholeMatch(
        in: Status.text("%l")) != nil)
    #expect(Status.text("%?%l:yes%?").hasSuffix(":yes"))
  }

  @Test func groupsShowTheirFirstPartOnlyWhenAnEscapeInItShowedSomething() {
    #expect(Status.text("%?[%t]%?") == "[three]")
    #expect(Status.text("a%?(%u)%?b") == "ab")
    #expect(Status.text("a%?(%u)%:else%?b") == "aelseb")
    #expect(Status.text("a%?(%t)%:else%?b") == "a(three)b")
    #expect(Status.text("%?%h[%h]%:none%?") == "none")
    // %x and %p show text but do not count; %n always counts.
    #expect(Status.text("%?%x%?|%?%p%?|%?%e%?|%?%n%?") == "|||3")
    // Left open: kept when something showed.
    #expect(Status.text("x%?%u(y") == "x")
    #expect(Status.text("x%?%t(y") == "xthree(y")
  }

  @Test func aDroppedGroupTakesItsStylesWithIt() {
    let cells = Status.cells("%?%{= kr}%u%?X%?%{+b}%t%:%{+u}%?Y")
    #expect(Status.style(of: "X", in: cells) == Status.standout)
    #expect(Status.style(of: "Y", in: cells)?.attributes == [.standout, .bold])
  }

  @Test func timeAndLoadEscapesAreFoundWithTheirQualifiers() {
    #expect(StatusString.showsTime("%0c"))
    #expect(StatusString.showsTime("%LD"))
    #expect(StatusString.showsTime("x %l"))
    #expect(!StatusString.showsTime("%Lw %n %t %%c"))
    #expect(StatusString.uses("%-10s", escapes: "s"))
    // Backtick output, whose escape character is ^E.
    #expect(StatusString.uses(Array("\u{5}Y-\u{5}m \u{5}0c:\u{5}s".utf8), escape: 5, escapes: "s"))
    #expect(!StatusString.uses(Array("%s \u{5}\u{5}s".utf8), escape: 5, escapes: "s"))
  }

  @Test func fillTakesTheStyleTheLineEndedIn() {
    let cells = Status.cells("ab%{= kr}c", width: 10, fill: true)
    #expect(cells.count == 10)
    #expect(cells[9].style == Style(foreground: .palette(1), background: .palette(0)))
    #expect(Status.cells("abc", width: 10).count == 3)
  }

  @Test func wideCharactersCutInTwoBecomeBlanks() {
    var ctx = Status.context()
    ctx.windows[3].title = "日本語"
    #expect(Status.text("%t%05<", ctx) == "日本 ")
    #expect(Status.text("ab%t", ctx) == "ab日本語")
  }

  @Test func controlCharactersInTitlesAreNotDrawn() {
    var ctx = Status.context()
    ctx.windows[3].title = "a\u{7}b\u{7F}c\u{9B}d"
    #expect(Status.text("%t", ctx) == "abcd")
    // A log stamp keeps them (its newline, a ^G).
    let stamp = StatusString.expand(
      "%n\n^G", ctx, base: Style(), keepingControls: true)
    #expect(Status.text(stamp) == "3\n\u{7}")
  }

  @Test func backtickOutputNamingBackticksEndsSoon() {
    var ctx = Status.context()
    ctx.backtick = { _ in Array(String(repeating: "\u{5}1`x", count: 1000).utf8) }
    let cells = Status.cells("%1`", ctx, width: 80)
    #expect(cells.count == StatusExpansion.cellLimit)
    ctx.backtick = { _ in Array(String(repeating: "\u{5}1`", count: 1000).utf8) }
    #expect(Status.cells("<%1`>", ctx).count == 2)
  }

  @Test func hugeNumbersAndLongStringsStayBounded() {
    let cells = Status.cells("%99999999999999999999n%999999=%0999999=x%99999999999<")
    #expect(cells.count <= StatusExpansion.cellLimit)
    let long = String(repeating: "%w", count: 500)
    #expect(Status.cells(long, width: nil).count == StatusExpansion.cellLimit)
    // An unclosed %{ takes 127 characters and one more, as screen reads it.
    let unclosed = "A%{" + String(repeating: "x", count: 150) + "B%{xx"
    #expect(Status.text(unclosed, width: 100) == "A" + String(repeating: "x", count: 22) + "B")
  }
}
