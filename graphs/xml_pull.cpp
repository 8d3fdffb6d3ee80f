#include "graphs/xml_pull.hpp"

#include <charconv>

#include "core/error.hpp"

namespace gaus {

namespace {

bool is_name_start(char c) {
  return is_alpha_char(c) || c == '_' || c == ':' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_name_char(char c) { return is_name_start(c) || is_digit_char(c) || c == '-' || c == '.'; }

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

void XmlPull::fail(const std::string& message) const { input_error(file_, line_, message); }

void XmlPull::fail_here(const std::string& message) const {
  input_error(file_, in_.line(), message);
}

const std::string* XmlPull::attribute(std::string_view key) const {
  for (const auto& [k, v] : attrs_)
    if (k == key) return &v;
  return nullptr;
}

XmlPull::Event XmlPull::next() {
  if (pending_end_) {
    pending_end_ = false;
    name_ = stack_.back().first;
    stack_.pop_back();
    return Event::End;
  }
  for (;;) {
    line_ = in_.line();
    if (in_.at_end()) {
      if (!stack_.empty())
        fail_here("unexpected end of input: <" + printable(stack_.back().first) +
                  "> opened at line " + std::to_string(stack_.back().second) + " is not closed");
      if (!root_seen_) fail_here("no root element (empty or not XML)");
      return Event::Eof;
    }
    if (in_.peek() != '<') {
      read_text();
      if (!stack_.empty()) return Event::Text;
      for (char c : text_)
        if (!is_space_char(c))
          fail(root_seen_ ? "text after the root element" : "text before the root element");
      continue;
    }
    if (in_.consume("<?")) {
      skip_until("?>", "processing instruction");
      continue;
    }
    if (in_.consume("<!--")) {
      skip_until("-->", "comment");
      continue;
    }
    if (in_.consume("<![CDATA[")) {
      if (stack_.empty()) fail("CDATA section outside the root element");
      const std::string_view rest = in_.text().substr(in_.pos());
      const std::size_t k = rest.find("]]>");
      if (k == std::string_view::npos) fail("unterminated CDATA section");
      text_.assign(rest.substr(0, k));
      in_.skip(k + 3);
      return Event::Text;
    }
    if (in_.starts_with("<!")) {
      skip_doctype();
      continue;
    }
    if (in_.starts_with("</")) {
      read_end_tag();
      return Event::End;
    }
    read_start_tag();
    return Event::Start;
  }
}

void XmlPull::skip_until(std::string_view terminator, const char* what) {
  const std::string_view rest = in_.text().substr(in_.pos());
  const std::size_t k = rest.find(terminator);
  if (k == std::string_view::npos) fail(std::string("unterminated ") + what);
  in_.skip(k + terminator.size());
}

// <!DOCTYPE ...> with an optional internal subset in brackets; quoted strings may hold '>'.
void XmlPull::skip_doctype() {
  if (!stack_.empty()) fail("markup declaration '<!' inside an element");
  in_.skip(2);
  int brackets = 0;
  char quote = 0;
  while (!in_.at_end()) {
    const char c = in_.get();
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[') {
      ++brackets;
    } else if (c == ']') {
      --brackets;
    } else if (c == '>' && brackets <= 0) {
      return;
    }
  }
  fail("unterminated '<!' declaration");
}

std::string_view XmlPull::read_name() {
  if (!is_name_start(in_.peek())) return {};
  return in_.take_while(is_name_char);
}

void XmlPull::decode_entity(std::string& out) {
  const std::int64_t at = in_.line();
  in_.get();  // '&'
  const std::string_view rest = in_.text().substr(in_.pos());
  const std::size_t semi = rest.substr(0, 12).find(';');
  if (semi == std::string_view::npos || semi == 0)
    input_error(file_, at, "bad entity reference '&" + printable(rest.substr(0, 8)) + "'");
  const std::string_view ent = rest.substr(0, semi);
  in_.skip(semi + 1);
  if (ent == "lt") {
    out += '<';
  } else if (ent == "gt") {
    out += '>';
  } else if (ent == "amp") {
    out += '&';
  } else if (ent == "quot") {
    out += '"';
  } else if (ent == "apos") {
    out += '\'';
  } else if (ent[0] == '#') {
    const bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
    const std::string_view digits = ent.substr(hex ? 2 : 1);
    std::uint32_t cp = 0;
    const auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || cp == 0 ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      input_error(file_, at, "bad character reference '&" + printable(ent) + ";'");
    append_utf8(out, cp);
  } else {
    input_error(file_, at, "unknown entity '&" + printable(ent) + ";'");
  }
}

void XmlPull::read_start_tag() {
  in_.get();  // '<'
  const std::string_view name = read_name();
  if (name.empty()) fail("expected an element name after '<'");
  attrs_.clear();
  bool self_closing = false;
  for (;;) {
    in_.skip_whitespace();
    if (in_.consume("/>")) {
      self_closing = true;
      break;
    }
    if (in_.consume(">")) break;
    if (in_.at_end()) fail("unterminated start tag <" + printable(name) + ">");
    const std::string_view key = read_name();
    if (key.empty())
      fail_here("unexpected '" + printable(std::string_view(&in_.text()[in_.pos()], 1)) +
                "' in start tag <" + printable(name) + ">");
    in_.skip_whitespace();
    if (!in_.consume("="))
      fail_here("attribute '" + printable(key) + "' of <" + printable(name) + "> has no value");
    in_.skip_whitespace();
    const char quote = in_.peek();
    if (quote != '"' && quote != '\'')
      fail_here("value of attribute '" + printable(key) + "' of <" + printable(name) +
                "> is not quoted");
    in_.get();
    std::string value;
    for (;;) {
      if (in_.at_end())
        fail("unterminated value of attribute '" + printable(key) + "' of <" + printable(name) +
             ">");
      const char c = in_.peek();
      if (c == quote) {
        in_.get();
        break;
      }
      if (c == '<') fail_here("'<' in the value of attribute '" + printable(key) + "'");
      if (c == '&') {
        decode_entity(value);
      } else {
        value += in_.get();
      }
    }
    for (const auto& a : attrs_)
      if (a.first == key)
        fail("duplicate attribute '" + printable(key) + "' in <" + printable(name) + ">");
    attrs_.emplace_back(key, std::move(value));
  }
  if (stack_.empty() && root_seen_) fail("a second root element <" + printable(name) + ">");
  root_seen_ = true;
  stack_.emplace_back(name, line_);
  name_ = name;
  pending_end_ = self_closing;
}

void XmlPull::read_end_tag() {
  in_.skip(2);  // "</"
  const std::string_view name = read_name();
  in_.skip_whitespace();
  if (name.empty() || !in_.consume(">")) fail("malformed end tag");
  if (stack_.empty())
    fail("end tag </" + printable(name) + "> without a matching start tag");
  if (stack_.back().first != name)
    fail("end tag </" + printable(name) + "> does not match <" + printable(stack_.back().first) +
         "> opened at line " + std::to_string(stack_.back().second));
  stack_.pop_back();
  name_ = name;
}

void XmlPull::read_text() {
  text_.clear();
  while (!in_.at_end() && in_.peek() != '<') {
    if (in_.peek() == '&') {
      decode_entity(text_);
    } else {
      text_ += in_.get();
    }
  }
}

}  // namespace gaus
