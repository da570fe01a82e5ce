#include "aape/clip/Tokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <nlohmann/json.hpp>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <utility>

namespace aape::clip {

namespace {

struct HtmlEntity {
    std::string_view name;
    std::string_view value;
};

struct HtmlCharRef {
    char32_t number;
    std::string_view value;
};

#include "clip/HtmlEntities.inc"

constexpr std::string_view kStartOfTextToken = "<|startoftext|>";
constexpr std::string_view kEndOfTextToken = "<|endoftext|>";
constexpr std::string_view kEndOfWord = "</w>";
// simple_tokenizer.py reads lines[1:49152-256-2+1] of the bpe file.
constexpr std::size_t kBpeFileMergeCount = 49152 - 256 - 2;
// Ids beyond this mean a corrupt vocabulary, not a bigger model.
constexpr std::int64_t kMaxTokenId = 1 << 24;
// The word cache is a speed-up only; bounded so that a long-running app does not grow without end.
constexpr std::size_t kMaxCachedWords = 200000;

void appendUtf8(std::string& out, char32_t c)
{
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// Decodes the code point at `pos` of valid UTF-8 and advances `pos` past it.
char32_t nextCodePoint(std::string_view text, std::size_t& pos)
{
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(pos);
    if (lead < 0x80) {
        ++pos;
        return lead;
    }
    int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    length = static_cast<int>(std::min<std::size_t>(length, text.size() - pos));
    char32_t c = lead & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F);
    for (int i = 1; i < length; ++i)
        c = (c << 6) | (byte(pos + i) & 0x3F);
    pos += length;
    return c;
}

bool isAscii(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool isValidUtf8(std::string_view text)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t length = 0;
    // Preflight only: counts UTF-16 units and reports U_INVALID_CHAR_FOUND on bad input.
    u_strFromUTF8(nullptr, 0, &length, text.data(), static_cast<int32_t>(text.size()), &status);
    return status == U_BUFFER_OVERFLOW_ERROR || U_SUCCESS(status);
}

// Python's bytes.decode("utf-8", errors="replace"): each maximal invalid subsequence
// becomes U+FFFD (ICU's fromUTF8 follows the same rule).
std::string toValidUtf8(std::string_view text)
{
    if (isAscii(text))
        return std::string(text);
    std::string out;
    icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))).toUTF8String(out);
    return out;
}

// toValidUtf8 followed by NFC.
std::string toValidNfc(std::string_view text)
{
    if (isAscii(text))
        return std::string(text);
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString unicode =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_SUCCESS(status)) {
        icu::UnicodeString normalised = nfc->normalize(unicode, status);
        if (U_SUCCESS(status))
            unicode = std::move(normalised);
    }
    std::string out;
    unicode.toUTF8String(out);
    return out;
}

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool isDecimalDigit(char c)
{
    return c >= '0' && c <= '9';
}

const HtmlEntity* findEntity(std::string_view name)
{
    const auto* end = std::end(kHtmlEntities);
    const auto* it = std::lower_bound(std::begin(kHtmlEntities), end, name,
                                      [](const HtmlEntity& entity, std::string_view key) { return entity.name < key; });
    return it != end && it->name == name ? it : nullptr;
}

// Python's html._replace_charref for a numeric reference.
void appendNumericReference(std::string& out, char32_t number)
{
    for (const HtmlCharRef& ref : kHtmlInvalidCharRefs) {
        if (ref.number == number) {
            out += ref.value;
            return;
        }
    }
    if ((number >= 0xD800 && number <= 0xDFFF) || number > 0x10FFFF) {
        appendUtf8(out, 0xFFFD);
        return;
    }
    if (std::binary_search(std::begin(kHtmlInvalidCodePoints), std::end(kHtmlInvalidCodePoints), number))
        return;
    appendUtf8(out, number);
}

// Python's html.unescape on valid UTF-8: the pattern
// &(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?) with html5's longest-prefix rule.
std::string htmlUnescape(std::string_view text)
{
    if (text.find('&') == std::string_view::npos)
        return std::string(text);
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t amp = text.find('&', pos);
        if (amp == std::string_view::npos) {
            out.append(text.substr(pos));
            break;
        }
        out.append(text.substr(pos, amp - pos));
        pos = amp + 1;
        if (pos < text.size() && text[pos] == '#') {
            std::size_t digits = pos + 1;
            int base = 10;
            if (digits + 1 < text.size() && (text[digits] == 'x' || text[digits] == 'X')
                && isHexDigit(text[digits + 1])) {
                base = 16;
                ++digits;
            } else if (digits >= text.size() || !isDecimalDigit(text[digits])) {
                out += '&';
                continue;
            }
            std::size_t end = digits;
            char32_t number = 0;
            while (end < text.size() && (base == 16 ? isHexDigit(text[end]) : isDecimalDigit(text[end]))) {
                const char c = text[end];
                const int digit = isDecimalDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
                // Saturate: anything past U+10FFFF becomes U+FFFD anyway.
                number = std::min<char32_t>(number * base + digit, 0x110000);
                ++end;
            }
            if (end < text.size() && text[end] == ';')
                ++end;
            appendNumericReference(out, number);
            pos = end;
            continue;
        }
        // Named reference: up to 32 code points, then an optional ';'.
        std::vector<std::size_t> boundaries; // byte offset after each code point
        std::size_t end = pos;
        while (end < text.size() && boundaries.size() < 32) {
            const char c = text[end];
            if (c == '\t' || c == '\n' || c == '\f' || c == ' ' || c == '<' || c == '&' || c == '#' || c == ';')
                break;
            nextCodePoint(text, end);
            boundaries.push_back(end);
        }
        if (boundaries.empty()) {
            out += '&';
            continue;
        }
        const bool semicolon = end < text.size() && text[end] == ';';
        if (semicolon)
            ++end;
        const std::string_view name = text.substr(pos, end - pos);
        if (const HtmlEntity* entity = findEntity(name)) {
            out += entity->value;
        } else {
            // Longest prefix of at least two code points that is an entity valid without ';'.
            const std::size_t codePoints = boundaries.size() + (semicolon ? 1 : 0);
            bool found = false;
            for (std::size_t x = codePoints - 1; x >= 2 && !found; --x) {
                const std::size_t prefixEnd = boundaries[x - 1];
                if (const HtmlEntity* prefix = findEntity(text.substr(pos, prefixEnd - pos))) {
                    out += prefix->value;
                    out.append(text.substr(prefixEnd, end - prefixEnd));
                    found = true;
                }
            }
            if (!found) {
                out += '&';
                out.append(name);
            }
        }
        pos = end;
    }
    return out;
}

// Unicode White_Space: what `\s` matches in the `regex` module simple_tokenizer.py uses.
bool isRegexSpace(char32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
           || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Python's str.strip() also removes the information separators U+001C..U+001F, which `\s` keeps.
bool isPythonSpaceAscii(char c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
}

// re.sub(r"\s+", " ", text).strip(), after the strip() of basic_clean (which this subsumes).
std::string collapseWhitespace(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    bool inSpace = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t start = pos;
        const char32_t c = nextCodePoint(text, pos);
        if (isRegexSpace(c)) {
            if (!inSpace)
                out += ' ';
            inSpace = true;
        } else {
            out.append(text.substr(start, pos - start));
            inSpace = false;
        }
    }
    // After collapsing, the only spaces str.strip() knows that are left are ASCII.
    std::size_t first = 0;
    std::size_t last = out.size();
    while (first < last && isPythonSpaceAscii(out[first]))
        ++first;
    while (last > first && isPythonSpaceAscii(out[last - 1]))
        --last;
    return out.substr(first, last - first);
}

// Python's str.lower(): full Unicode lower case mapping (İ -> i̇, final sigma).
std::string toLowerCase(std::string_view text)
{
    if (isAscii(text)) {
        std::string out(text);
        for (char& c : out) {
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c + ('a' - 'A'));
        }
        return out;
    }
    icu::UnicodeString unicode =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    unicode.toLower(icu::Locale::getRoot());
    std::string out;
    unicode.toUTF8String(out);
    return out;
}

// simple_tokenizer.bytes_to_unicode(): printable Latin-1 bytes stand for themselves, the
// others are shifted to U+0100 and up, so that every byte is a visible, non-space character.
struct ByteAlphabet {
    std::array<char32_t, 256> byteToCodePoint{};
    std::array<std::string, 256> byteToUtf8;
    std::array<std::uint8_t, 256> order{}; // bytes in the order simple_tokenizer lists them
    std::unordered_map<char32_t, std::uint8_t> codePointToByte;

    ByteAlphabet()
    {
        std::array<bool, 256> printable{};
        std::size_t count = 0;
        for (int b = 0; b < 256; ++b) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (printable[b]) {
                byteToCodePoint[b] = static_cast<char32_t>(b);
                order[count++] = static_cast<std::uint8_t>(b);
            }
        }
        char32_t next = 256;
        for (int b = 0; b < 256; ++b) {
            if (!printable[b]) {
                byteToCodePoint[b] = next++;
                order[count++] = static_cast<std::uint8_t>(b);
            }
        }
        for (int b = 0; b < 256; ++b) {
            appendUtf8(byteToUtf8[b], byteToCodePoint[b]);
            codePointToByte[byteToCodePoint[b]] = static_cast<std::uint8_t>(b);
        }
    }
};

const ByteAlphabet& byteAlphabet()
{
    static const ByteAlphabet alphabet;
    return alphabet;
}

struct Pcre2CodeDeleter {
    void operator()(pcre2_code* code) const { pcre2_code_free(code); }
};
struct Pcre2MatchDataDeleter {
    void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};

// CLIP's split pattern, compiled once; a compiled PCRE2 pattern may be shared by threads.
// `\s` is spelled out as Unicode White_Space, which is what the `regex` module matches;
// PCRE2's own `\s` also matches U+180E and would split words the reference keeps whole.
const pcre2_code* splitPattern()
{
    static const std::unique_ptr<pcre2_code, Pcre2CodeDeleter> pattern = [] {
        static constexpr char kPattern[] =
            R"(<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|)"
            R"([^\t\n\x{0B}\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\p{L}\p{N}]+)";
        int errorCode = 0;
        PCRE2_SIZE errorOffset = 0;
        pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(kPattern), PCRE2_ZERO_TERMINATED,
                                         PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &errorCode, &errorOffset, nullptr);
        if (code != nullptr)
            pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); // falls back to the interpreter if JIT is missing
        return std::unique_ptr<pcre2_code, Pcre2CodeDeleter>(code);
    }();
    return pattern.get();
}

Result<std::string> readWholeFile(const std::string& path, const char* what)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return makeError(ErrorCode::FileNotFound,
                         std::string("The tokenizer ") + what + " file does not exist; check the path.", path);
    }
    std::ifstream in(path, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad() || !in.is_open()) {
        return makeError(ErrorCode::FileUnreadable,
                         std::string("The tokenizer ") + what + " file could not be read; check its permissions.",
                         path);
    }
    return data;
}

Result<std::string> gunzip(const std::string& compressed, const std::string& path)
{
    std::string out;
    z_stream stream{};
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
        return makeError(ErrorCode::Internal, "Could not start the gzip decoder.", path);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = static_cast<uInt>(compressed.size());
    std::array<char, 1 << 16> buffer{};
    int rc = Z_OK;
    for (;;) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
        stream.avail_out = static_cast<uInt>(buffer.size());
        rc = inflate(&stream, Z_NO_FLUSH);
        out.append(buffer.data(), buffer.size() - stream.avail_out);
        if (rc == Z_STREAM_END) {
            // Concatenated gzip members are one file to gzip.open; read them all.
            if (stream.avail_in == 0)
                break;
            inflateReset(&stream);
            continue;
        }
        if (rc != Z_OK) {
            const std::string detail =
                stream.msg != nullptr
                    ? stream.msg
                    : (rc == Z_BUF_ERROR ? "unexpected end of data" : "inflate error " + std::to_string(rc));
            inflateEnd(&stream);
            return makeError(
                ErrorCode::BadFormat,
                "The tokenizer vocabulary is not a valid gzip file; download bpe_simple_vocab_16e6.txt.gz again.", path,
                detail);
        }
    }
    inflateEnd(&stream);
    return out;
}

std::vector<std::string_view> splitAsciiWhitespace(std::string_view line)
{
    std::vector<std::string_view> parts;
    std::size_t pos = 0;
    while (pos < line.size()) {
        while (pos < line.size() && isPythonSpaceAscii(line[pos]))
            ++pos;
        std::size_t end = pos;
        while (end < line.size() && !isPythonSpaceAscii(line[end]))
            ++end;
        if (end > pos)
            parts.push_back(line.substr(pos, end - pos));
        pos = end;
    }
    return parts;
}

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t pos = 0;
    for (;;) {
        const std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            lines.push_back(text.substr(pos));
            return lines;
        }
        lines.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
}

using Merge = std::pair<std::string, std::string>;

struct MergeRule {
    std::int32_t rank;
    std::int32_t merged;
};

std::uint64_t pairKey(std::int32_t first, std::int32_t second)
{
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(first)) << 32) | static_cast<std::uint32_t>(second);
}

// Parses merge lines "a b"; `lineOffset` turns indices into 1-based line numbers for errors.
Result<std::vector<Merge>> parseMerges(const std::vector<std::string_view>& lines, std::size_t lineOffset,
                                       const std::string& path)
{
    std::vector<Merge> merges;
    merges.reserve(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::vector<std::string_view> parts = splitAsciiWhitespace(lines[i]);
        if (parts.empty())
            continue;
        if (parts.size() != 2) {
            return makeError(
                ErrorCode::BadFormat, "The tokenizer merges file is corrupt: each line must hold two tokens.", path,
                "line " + std::to_string(i + lineOffset) + ": '" + std::string(lines[i].substr(0, 80)) + "'");
        }
        merges.emplace_back(std::string(parts[0]), std::string(parts[1]));
    }
    return merges;
}

} // namespace

struct Tokenizer::Impl {
    std::vector<std::string> decoder;                    // id -> token text ("" for ids without a token)
    std::unordered_map<std::uint64_t, MergeRule> merges; // (first id, second id) -> rank, merged id
    std::array<std::int32_t, 256> byteIds{};
    std::array<std::int32_t, 256> byteEndIds{}; // the byte's symbol + "</w>"
    std::int32_t startOfText = kStartOfText;
    std::int32_t endOfText = kEndOfText;

    mutable std::shared_mutex cacheMutex;
    mutable std::unordered_map<std::string, std::vector<std::int32_t>> cache;

    // Checks that every byte symbol, special token and merge is in the vocabulary; later
    // duplicates in the vocabulary win, as they do in the reference's dict.
    static Result<std::shared_ptr<Impl>> build(const std::vector<std::pair<std::string, std::int64_t>>& vocabulary,
                                               const std::vector<Merge>& mergeList, const std::string& vocabPath,
                                               const std::string& mergesPath);
    void bpe(std::string_view token, std::vector<std::int32_t>& out) const;
    void encodeCleaned(const std::string& text, std::vector<std::int32_t>& out) const;
};

void Tokenizer::Impl::bpe(std::string_view token, std::vector<std::int32_t>& out) const
{
    {
        std::shared_lock lock(cacheMutex);
        const auto it = cache.find(std::string(token));
        if (it != cache.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::vector<std::int32_t> word;
    word.reserve(token.size());
    for (std::size_t i = 0; i < token.size(); ++i) {
        const auto byte = static_cast<unsigned char>(token[i]);
        word.push_back(i + 1 == token.size() ? byteEndIds[byte] : byteIds[byte]);
    }
    // simple_tokenizer.bpe: repeatedly merge every occurrence (left to right) of the
    // adjacent pair with the lowest rank until no pair has a rank.
    std::vector<std::int32_t> merged;
    while (word.size() > 1) {
        const MergeRule* best = nullptr;
        std::int32_t first = 0;
        std::int32_t second = 0;
        for (std::size_t i = 0; i + 1 < word.size(); ++i) {
            const auto it = merges.find(pairKey(word[i], word[i + 1]));
            if (it != merges.end() && (best == nullptr || it->second.rank < best->rank)) {
                best = &it->second;
                first = word[i];
                second = word[i + 1];
            }
        }
        if (best == nullptr)
            break;
        merged.clear();
        for (std::size_t i = 0; i < word.size(); ++i) {
            if (i + 1 < word.size() && word[i] == first && word[i + 1] == second) {
                merged.push_back(best->merged);
                ++i;
            } else {
                merged.push_back(word[i]);
            }
        }
        word.swap(merged);
    }
    out.insert(out.end(), word.begin(), word.end());
    std::unique_lock lock(cacheMutex);
    if (cache.size() >= kMaxCachedWords)
        cache.clear();
    cache.emplace(std::string(token), std::move(word));
}

void Tokenizer::Impl::encodeCleaned(const std::string& text, std::vector<std::int32_t>& out) const
{
    const pcre2_code* pattern = splitPattern();
    if (pattern == nullptr || text.empty())
        return;
    const std::unique_ptr<pcre2_match_data, Pcre2MatchDataDeleter> match(
        pcre2_match_data_create_from_pattern(pattern, nullptr));
    if (!match)
        return;
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    PCRE2_SIZE offset = 0;
    // The text is valid UTF-8 by construction (ICU wrote it), so PCRE2 need not check it.
    std::uint32_t options = PCRE2_NO_UTF_CHECK;
    while (offset < text.size()) {
        const int rc = pcre2_match(pattern, subject, text.size(), offset, options, match.get(), nullptr);
        if (rc < 0)
            break;
        const PCRE2_SIZE* vector = pcre2_get_ovector_pointer(match.get());
        const std::string_view token(text.data() + vector[0], vector[1] - vector[0]);
        if (token.empty())
            break; // the pattern has no empty matches; guard against looping anyway
        if (token == kStartOfTextToken)
            out.push_back(startOfText);
        else if (token == kEndOfTextToken)
            out.push_back(endOfText);
        else
            bpe(token, out);
        offset = vector[1];
    }
}

Result<std::shared_ptr<Tokenizer::Impl>> Tokenizer::Impl::build(
    const std::vector<std::pair<std::string, std::int64_t>>& vocabulary, const std::vector<Merge>& mergeList,
    const std::string& vocabPath, const std::string& mergesPath)
{
    auto impl = std::make_shared<Impl>();
    std::unordered_map<std::string, std::int32_t> encoder;
    encoder.reserve(vocabulary.size());
    std::int64_t maxId = -1;
    for (const auto& [token, id] : vocabulary) {
        if (id < 0 || id >= kMaxTokenId) {
            return makeError(ErrorCode::BadFormat,
                             "The tokenizer vocabulary is corrupt: it holds an impossible token id.", vocabPath,
                             "token '" + token + "' has id " + std::to_string(id));
        }
        encoder[token] = static_cast<std::int32_t>(id);
        maxId = std::max(maxId, id);
    }
    impl->decoder.assign(static_cast<std::size_t>(maxId + 1), std::string());
    for (const auto& [token, id] : encoder)
        impl->decoder[static_cast<std::size_t>(id)] = token;

    const auto lookup = [&](const std::string& token) -> std::int32_t {
        const auto it = encoder.find(token);
        return it == encoder.end() ? -1 : it->second;
    };
    const ByteAlphabet& alphabet = byteAlphabet();
    for (int b = 0; b < 256; ++b) {
        impl->byteIds[b] = lookup(alphabet.byteToUtf8[b]);
        impl->byteEndIds[b] = lookup(alphabet.byteToUtf8[b] + std::string(kEndOfWord));
        if (impl->byteIds[b] < 0 || impl->byteEndIds[b] < 0) {
            return makeError(ErrorCode::BadFormat,
                             "The tokenizer vocabulary is not a CLIP byte-level vocabulary: a byte symbol is missing.",
                             vocabPath, "no token for byte " + std::to_string(b));
        }
    }
    impl->startOfText = lookup(std::string(kStartOfTextToken));
    impl->endOfText = lookup(std::string(kEndOfTextToken));
    if (impl->startOfText < 0 || impl->endOfText < 0) {
        return makeError(ErrorCode::BadFormat,
                         "The tokenizer vocabulary lacks the <|startoftext|> or <|endoftext|> token.", vocabPath);
    }
    impl->merges.reserve(mergeList.size());
    for (std::size_t rank = 0; rank < mergeList.size(); ++rank) {
        const auto& [first, second] = mergeList[rank];
        const std::int32_t firstId = lookup(first);
        const std::int32_t secondId = lookup(second);
        const std::int32_t mergedId = lookup(first + second);
        if (firstId < 0 || secondId < 0 || mergedId < 0) {
            const std::string& unknown = firstId < 0 ? first : secondId < 0 ? second : first + second;
            return makeError(ErrorCode::BadFormat,
                             "The tokenizer merges do not fit the vocabulary: a merge refers to an unknown token.",
                             mergesPath,
                             "merge " + std::to_string(rank + 1) + " '" + first + " " + second + "': '" + unknown
                                 + "' is not in the vocabulary");
        }
        // A repeated merge takes its later rank, as in the reference's dict.
        impl->merges[pairKey(firstId, secondId)] = MergeRule{static_cast<std::int32_t>(rank), mergedId};
    }
    return impl;
}

Tokenizer::Tokenizer(std::shared_ptr<const Impl> impl)
    : m_impl(std::move(impl))
{}

Result<Tokenizer> Tokenizer::fromHuggingFace(const std::string& vocabJsonPath, const std::string& mergesPath)
{
    Result<std::string> vocabText = readWholeFile(vocabJsonPath, "vocabulary (vocab.json)");
    if (!vocabText)
        return vocabText.error();
    const nlohmann::json json = nlohmann::json::parse(vocabText.value(), nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return makeError(ErrorCode::BadFormat,
                         "The tokenizer vocabulary is not a valid vocab.json (a JSON object of token ids).",
                         vocabJsonPath);
    }
    std::vector<std::pair<std::string, std::int64_t>> vocabulary;
    vocabulary.reserve(json.size());
    for (const auto& [token, id] : json.items()) {
        if (!id.is_number_integer()) {
            return makeError(ErrorCode::BadFormat, "The tokenizer vocabulary is corrupt: token ids must be integers.",
                             vocabJsonPath, "token '" + token + "'");
        }
        vocabulary.emplace_back(token, id.get<std::int64_t>());
    }

    Result<std::string> mergesText = readWholeFile(mergesPath, "merges (merges.txt)");
    if (!mergesText)
        return mergesText.error();
    if (!isValidUtf8(mergesText.value()))
        return makeError(ErrorCode::BadFormat, "The tokenizer merges file is not UTF-8 text.", mergesPath);
    std::vector<std::string_view> lines = splitLines(mergesText.value());
    std::size_t lineOffset = 1;
    if (!lines.empty() && lines.front().substr(0, 8) == "#version") {
        lines.erase(lines.begin());
        lineOffset = 2;
    }
    Result<std::vector<Merge>> merges = parseMerges(lines, lineOffset, mergesPath);
    if (!merges)
        return merges.error();
    Result<std::shared_ptr<Impl>> impl = Impl::build(vocabulary, merges.value(), vocabJsonPath, mergesPath);
    if (!impl)
        return impl.error();
    return Tokenizer(std::move(impl).value());
}

Result<Tokenizer> Tokenizer::fromBpeFile(const std::string& path)
{
    Result<std::string> raw = readWholeFile(path, "vocabulary (bpe_simple_vocab_16e6.txt.gz)");
    if (!raw)
        return raw.error();
    std::string text = std::move(raw).value();
    const bool gzipMagic =
        text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0x1F && static_cast<unsigned char>(text[1]) == 0x8B;
    const bool gzipName = path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
    if (gzipMagic) {
        Result<std::string> inflated = gunzip(text, path);
        if (!inflated)
            return inflated.error();
        text = std::move(inflated).value();
    } else if (gzipName) {
        return makeError(
            ErrorCode::BadFormat,
            "The tokenizer vocabulary is not a valid gzip file; download bpe_simple_vocab_16e6.txt.gz again.", path,
            "no gzip header");
    }
    if (text.empty())
        return makeError(ErrorCode::BadFormat, "The tokenizer vocabulary file is empty.", path);
    if (!isValidUtf8(text))
        return makeError(ErrorCode::BadFormat, "The tokenizer vocabulary is not UTF-8 text.", path);

    std::vector<std::string_view> lines = splitLines(text);
    // lines[1 : 1 + kBpeFileMergeCount]: the first line is a version comment.
    lines.erase(lines.begin());
    if (lines.size() > kBpeFileMergeCount)
        lines.resize(kBpeFileMergeCount);
    Result<std::vector<Merge>> merges = parseMerges(lines, 2, path);
    if (!merges)
        return merges.error();

    // The vocabulary simple_tokenizer.py derives: 256 byte symbols in bytes_to_unicode order,
    // the same with "</w>", the merged pairs in rank order, then the two special tokens.
    const ByteAlphabet& alphabet = byteAlphabet();
    std::vector<std::pair<std::string, std::int64_t>> vocabulary;
    vocabulary.reserve(512 + merges->size() + 2);
    for (std::uint8_t byte : alphabet.order)
        vocabulary.emplace_back(alphabet.byteToUtf8[byte], static_cast<std::int64_t>(vocabulary.size()));
    for (std::uint8_t byte : alphabet.order)
        vocabulary.emplace_back(alphabet.byteToUtf8[byte] + std::string(kEndOfWord),
                                static_cast<std::int64_t>(vocabulary.size()));
    for (const auto& [first, second] : merges.value())
        vocabulary.emplace_back(first + second, static_cast<std::int64_t>(vocabulary.size()));
    vocabulary.emplace_back(std::string(kStartOfTextToken), static_cast<std::int64_t>(vocabulary.size()));
    vocabulary.emplace_back(std::string(kEndOfTextToken), static_cast<std::int64_t>(vocabulary.size()));

    Result<std::shared_ptr<Impl>> impl = Impl::build(vocabulary, merges.value(), path, path);
    if (!impl)
        return impl.error();
    return Tokenizer(std::move(impl).value());
}

Result<Tokenizer> Tokenizer::forModel(const std::string& modelPath, const std::string& vocabOverride)
{
    namespace fs = std::filesystem;
    const auto fromFile = [](const fs::path& vocab) -> Result<Tokenizer> {
        if (vocab.extension() == ".json") {
            const fs::path merges = vocab.parent_path() / "merges.txt";
            return fromHuggingFace(vocab.string(), merges.string());
        }
        return fromBpeFile(vocab.string());
    };
    if (!vocabOverride.empty())
        return fromFile(fs::path(vocabOverride));

    std::error_code ec;
    if (modelPath.empty() || !fs::exists(modelPath, ec)) {
        return makeError(ErrorCode::FileNotFound, "The model does not exist; check the path.", modelPath);
    }
    const fs::path folder = fs::is_directory(modelPath, ec) ? fs::path(modelPath) : fs::path(modelPath).parent_path();
    if (fs::is_regular_file(folder / "vocab.json", ec) && fs::is_regular_file(folder / "merges.txt", ec))
        return fromHuggingFace((folder / "vocab.json").string(), (folder / "merges.txt").string());
    for (const char* name : {"bpe_simple_vocab_16e6.txt.gz", "bpe_simple_vocab_16e6.txt"}) {
        if (fs::is_regular_file(folder / name, ec))
            return fromBpeFile((folder / name).string());
    }
    return makeError(ErrorCode::FileNotFound,
                     "No tokenizer vocabulary was found beside the model; pass --vocab bpe_simple_vocab_16e6.txt.gz.",
                     modelPath,
                     "looked for vocab.json + merges.txt and bpe_simple_vocab_16e6.txt(.gz) in " + folder.string());
}

std::vector<std::int32_t> Tokenizer::tokenize(std::string_view utf8Text, bool truncate, int contextLength) const
{
    std::vector<std::int32_t> ids;
    ids.push_back(m_impl->startOfText);
    m_impl->encodeCleaned(cleanTextForClip(utf8Text), ids);
    ids.push_back(m_impl->endOfText);
    if (truncate && contextLength > 0 && ids.size() > static_cast<std::size_t>(contextLength)) {
        ids.resize(static_cast<std::size_t>(contextLength));
        ids.back() = m_impl->endOfText;
    }
    return ids;
}

std::vector<std::int32_t> Tokenizer::encode(std::string_view utf8Text) const
{
    std::vector<std::int32_t> ids;
    m_impl->encodeCleaned(cleanTextForClip(utf8Text), ids);
    return ids;
}

std::string Tokenizer::decode(const std::vector<std::int32_t>& ids) const
{
    std::string symbols;
    for (std::int32_t id : ids) {
        if (id >= 0 && static_cast<std::size_t>(id) < m_impl->decoder.size())
            symbols += m_impl->decoder[static_cast<std::size_t>(id)];
    }
    // Each symbol character stands for one byte; characters that are not byte symbols
    // (only possible with a foreign vocabulary) are dropped.
    const ByteAlphabet& alphabet = byteAlphabet();
    std::string bytes;
    bytes.reserve(symbols.size());
    std::size_t pos = 0;
    while (pos < symbols.size()) {
        const auto it = alphabet.codePointToByte.find(nextCodePoint(symbols, pos));
        if (it != alphabet.codePointToByte.end())
            bytes += static_cast<char>(it->second);
    }
    const std::string text = toValidUtf8(bytes);
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text.compare(i, kEndOfWord.size(), kEndOfWord) == 0) {
            out += ' ';
            i += kEndOfWord.size();
        } else {
            out += text[i++];
        }
    }
    return out;
}

int Tokenizer::vocabSize() const
{
    return static_cast<int>(m_impl->decoder.size());
}

std::int32_t Tokenizer::startOfText() const
{
    return m_impl->startOfText;
}

std::int32_t Tokenizer::endOfText() const
{
    return m_impl->endOfText;
}

std::string cleanTextForClip(std::string_view utf8Text)
{
    // basic_clean: ftfy (of which only its final NFC is kept), html.unescape twice, strip;
    // whitespace_clean; then encode() lower-cases.
    std::string text = toValidNfc(utf8Text);
    text = htmlUnescape(htmlUnescape(text));
    text = collapseWhitespace(text);
    return toLowerCase(text);
}

} // namespace aape::clip
