#include "json/value.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

namespace vigil::json {
namespace dom = simdjson::dom;

static_assert(sizeof(dom::element) <= 16 && std::is_trivially_copyable_v<dom::element>);
static_assert(sizeof(dom::array::iterator) <= 16 &&
              std::is_trivially_copyable_v<dom::array::iterator>);
static_assert(sizeof(dom::object::iterator) <= 16 &&
              std::is_trivially_copyable_v<dom::object::iterator>);

namespace {
template <typename T>
T Load(const std::byte* storage) {
  T t;
  std::memcpy(static_cast<void*>(&t), storage, sizeof(T));
  return t;
}
template <typename T>
void Store(std::byte* storage, const T& t) {
  std::memcpy(storage, static_cast<const void*>(&t), sizeof(T));
}
}  // namespace

Value::Value(const dom::element& e) : valid_(true) { Store(storage_, e); }
dom::element Value::Element() const { return Load<dom::element>(storage_); }

Type Value::type() const {
  if (!valid_) return Type::kMissing;
  switch (Element().type()) {
    case dom::element_type::ARRAY:
      return Type::kArray;
    case dom::element_type::OBJECT:
      return Type::kObject;
    case dom::element_type::STRING:
      return Type::kString;
    case dom::element_type::BOOL:
      return Type::kBool;
    case dom::element_type::NULL_VALUE:
      return Type::kNull;
    default:
      return Type::kNumber;
  }
}

bool Value::Empty() const {
  switch (type()) {
    case Type::kMissing:
    case Type::kNull:
      return true;
    case Type::kString:
      return String()->empty();
    case Type::kArray:
    case Type::kObject:
      return Size() == 0;
    default:
      return false;
  }
}

Value Value::Get(std::string_view key) const {
  if (!valid_) return {};
  dom::object obj;
  if (Element().get(obj) != simdjson::SUCCESS) return {};
  dom::element e;
  if (obj.at_key(key).get(e) != simdjson::SUCCESS) return {};
  return Value(e);
}

Value Value::At(size_t i) const {
  if (!valid_) return {};
  dom::array arr;
  if (Element().get(arr) != simdjson::SUCCESS) return {};
  dom::element e;
  if (arr.at(i).get(e) != simdjson::SUCCESS) return {};
  return Value(e);
}

size_t Value::Size() const {
  if (!valid_) return 0;
  const dom::element e = Element();
  dom::array arr;
  if (e.get(arr) == simdjson::SUCCESS) return arr.size();
  dom::object obj;
  if (e.get(obj) == simdjson::SUCCESS) return obj.size();
  return 0;
}

std::optional<std::string_view> Value::String() const {
  if (!valid_) return std::nullopt;
  std::string_view s;
  if (Element().get(s) != simdjson::SUCCESS) return std::nullopt;
  return s;
}

std::optional<bool> Value::Bool() const {
  if (!valid_) return std::nullopt;
  bool b;
  if (Element().get(b) != simdjson::SUCCESS) return std::nullopt;
  return b;
}

std::optional<double> Value::Number() const {
  if (!valid_) return std::nullopt;
  const dom::element e = Element();
  if (!e.is_number()) return std::nullopt;
  double d;
  if (e.get(d) == simdjson::SUCCESS) return d;
  return std::nullopt;
}

std::optional<std::int64_t> Value::Int() const {
  if (!valid_) return std::nullopt;
  const dom::element e = Element();
  std::int64_t i;
  if (e.get(i) == simdjson::SUCCESS) return i;
  std::uint64_t u;
  if (e.get(u) == simdjson::SUCCESS) return std::nullopt;  // beyond int64
  double d;
  if (e.get(d) == simdjson::SUCCESS && std::floor(d) == d && std::fabs(d) < 9.0e15)
    return static_cast<std::int64_t>(d);
  return std::nullopt;
}

std::string Value::AsText() const {
  if (auto s = String()) return std::string(*s);
  if (IsNumber() || IsBool()) return ToJson();
  return "";
}

std::string Value::ToJson() const {
  if (!valid_) return "";
  return simdjson::minify(Element());
}

Value ArrayIter::operator*() const { return Value(*Load<dom::array::iterator>(storage_)); }
ArrayIter& ArrayIter::operator++() {
  auto it = Load<dom::array::iterator>(storage_);
  ++it;
  Store(storage_, it);
  return *this;
}
bool ArrayIter::operator!=(const ArrayIter& o) const {
  return Load<dom::array::iterator>(storage_) != Load<dom::array::iterator>(o.storage_);
}

Member ObjectIter::operator*() const {
  auto it = Load<dom::object::iterator>(storage_);
  return {it.key(), Value(it.value())};
}
ObjectIter& ObjectIter::operator++() {
  auto it = Load<dom::object::iterator>(storage_);
  ++it;
  Store(storage_, it);
  return *this;
}
bool ObjectIter::operator!=(const ObjectIter& o) const {
  return Load<dom::object::iterator>(storage_) != Load<dom::object::iterator>(o.storage_);
}

namespace {
// An empty array and object to iterate when a Value has the wrong type.
struct EmptyContainers {
  EmptyContainers() {
    const simdjson::padded_string text(std::string_view("[[],{}]"));
    if (parser.parse_into_document(doc, text).get(root) != simdjson::SUCCESS) std::abort();
    dom::array a;
    if (root.get(a) != simdjson::SUCCESS) std::abort();
    array = a.at(0).value_unsafe().get_array().value_unsafe();
    object = a.at(1).value_unsafe().get_object().value_unsafe();
  }
  dom::parser parser;
  dom::document doc;
  dom::element root;
  dom::array array;
  dom::object object;
};
const EmptyContainers& Empties() {
  static const EmptyContainers e;
  return e;
}
dom::array ArrayOf(const Value& v) {
  dom::array a;
  if (!v.Missing() && v.Element().get(a) == simdjson::SUCCESS) return a;
  return Empties().array;
}
dom::object ObjectOf(const Value& v) {
  dom::object o;
  if (!v.Missing() && v.Element().get(o) == simdjson::SUCCESS) return o;
  return Empties().object;
}
}  // namespace

ArrayIter ArrayRange::begin() const {
  ArrayIter it;
  Store(it.storage_, ArrayOf(self).begin());
  return it;
}
ArrayIter ArrayRange::end() const {
  ArrayIter it;
  Store(it.storage_, ArrayOf(self).end());
  return it;
}
ObjectIter ObjectRange::begin() const {
  ObjectIter it;
  Store(it.storage_, ObjectOf(self).begin());
  return it;
}
ObjectIter ObjectRange::end() const {
  ObjectIter it;
  Store(it.storage_, ObjectOf(self).end());
  return it;
}

struct Document::State {
  dom::document doc;
};

namespace {
dom::parser& ThreadParser() {
  thread_local dom::parser parser;
  return parser;
}

// Parsing into a fresh dom::document allocates a tape of 8 bytes per input byte (and a string
// buffer of 5/3), which the kernel must fault in and zero for every file: for vigil's inputs
// (many MB-sized snapshot files) that cost several times the parse itself. Documents that die
// go back to a small per-thread pool, and the padded copy of the input goes into a reused
// per-thread buffer (simdjson keeps no pointer into the input after parsing).
thread_local bool pool_gone = false;  // trivially destructible: readable during thread exit
struct StatePool {
  static constexpr size_t kMaxPooled = 4;
  static constexpr size_t kMaxPooledCapacity = size_t{64} << 20;  // input bytes
  // Small documents (a policy, a context item) are cheap to allocate and must not take a large
  // pooled buffer away from the next file.
  static constexpr size_t kMinPooledCapacity = size_t{64} << 10;
  ~StatePool() { pool_gone = true; }
  std::vector<dom::document> free;
  std::unique_ptr<char[]> buffer;
  size_t buffer_capacity = 0;
};
StatePool& Pool() {
  thread_local StatePool pool;
  return pool;
}
}  // namespace

Document::Document() = default;
Document::~Document() {
  if (state_ == nullptr || pool_gone) return;
  StatePool& pool = Pool();
  if (pool.free.size() < StatePool::kMaxPooled &&
      state_->doc.capacity() >= StatePool::kMinPooledCapacity &&
      state_->doc.capacity() <= StatePool::kMaxPooledCapacity)
    pool.free.push_back(std::move(state_->doc));
}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&& o) noexcept {
  if (this != &o) {
    Document dying(std::move(*this));  // returns the old state to the pool
    state_ = std::move(o.state_);
    root_ = o.root_;
  }
  return *this;
}

static_assert(Document::kPadding >= simdjson::SIMDJSON_PADDING);

namespace {

// Copies the parsed `from` into `to`, with buffers of exactly the size used. A dom::document
// parsed on its own takes 8 bytes of tape per input byte, while a document needs 8 bytes per
// value (several input bytes each): for the many small documents that live for a whole run
// (account facts, items other items' rules read, policies) that difference is most of vigil's
// memory, and its page faults much of the time spent building them.
void CopyCompact(const dom::document& from, dom::document& to) {
  using simdjson::internal::JSON_VALUE_MASK;
  const size_t tape_len = from.tape[0] & JSON_VALUE_MASK;  // the root points past the end
  size_t strings = 0;
  for (size_t i = 0; i < tape_len;) {
    const uint64_t e = from.tape[i];
    const char type = static_cast<char>(e >> 56);
    if (type == '"') {
      const size_t off = e & JSON_VALUE_MASK;
      std::uint32_t len;
      std::memcpy(&len, from.string_buf.get() + off, sizeof len);
      strings = std::max(strings, off + sizeof len + len + 1);
    }
    i += (type == 'l' || type == 'u' || type == 'd') ? 2 : 1;
  }
  to.tape.reset(new uint64_t[tape_len]);
  std::memcpy(to.tape.get(), from.tape.get(), tape_len * sizeof(uint64_t));
  to.string_buf.reset(new uint8_t[std::max<size_t>(strings, 1)]);
  if (strings > 0) std::memcpy(to.string_buf.get(), from.string_buf.get(), strings);
}

// The per-thread document small inputs are parsed into before CopyCompact.
dom::document& ScratchDocument() {
  thread_local dom::document doc;
  return doc;
}

}  // namespace

Result<Document> Document::ParseRaw(std::string_view text, const void* padded) {
  StatePool& pool = Pool();
  Document d;
  d.state_ = std::make_unique<State>();
  if (text.size() < StatePool::kMinPooledCapacity) {
    dom::parser& parser = ThreadParser();
    dom::document& scratch = ScratchDocument();
    if (parser.capacity() < StatePool::kMinPooledCapacity &&
        parser.allocate(StatePool::kMinPooledCapacity) != simdjson::SUCCESS)
      return Status::Error("out of memory parsing " + std::to_string(text.size()) + " bytes");
    if (scratch.capacity() < StatePool::kMinPooledCapacity &&
        scratch.allocate(StatePool::kMinPooledCapacity) != simdjson::SUCCESS)
      return Status::Error("out of memory parsing " + std::to_string(text.size()) + " bytes");
    dom::element root;
    if (parser
            .parse_into_document(scratch, static_cast<const std::uint8_t*>(padded), text.size(),
                                 false)
            .get(root) != simdjson::SUCCESS)
      return Status::Error(LocateSyntaxError(text));
    CopyCompact(scratch, d.state_->doc);
    d.root_ = Value(d.state_->doc.root());
    return d;
  }
  if (!pool.free.empty() && text.size() >= StatePool::kMinPooledCapacity / 2) {
    d.state_->doc = std::move(pool.free.back());
    pool.free.pop_back();
  }
  // Grow buffers with headroom: files differ in size, and every reallocation means fresh pages
  // the kernel must fault in and zero.
  dom::parser& parser = ThreadParser();
  if (parser.capacity() < text.size() &&
      parser.allocate(text.size() + text.size() / 2) != simdjson::SUCCESS)
    return Status::Error("out of memory parsing " + std::to_string(text.size()) + " bytes");
  if (d.state_->doc.capacity() < text.size() &&
      d.state_->doc.allocate(text.size() + text.size() / 2) != simdjson::SUCCESS)
    return Status::Error("out of memory parsing " + std::to_string(text.size()) + " bytes");
  dom::element root;
  const auto err = parser
                       .parse_into_document(d.state_->doc, static_cast<const std::uint8_t*>(padded),
                                            text.size(), false)
                       .get(root);
  if (err != simdjson::SUCCESS) return Status::Error(LocateSyntaxError(text));
  d.root_ = Value(root);
  return d;
}

Result<Document> Document::ParsePadded(std::string_view text) {
  return ParseRaw(text, text.data());
}

Result<Document> Document::Parse(std::string_view text) {
  StatePool& pool = Pool();
  const size_t need = text.size() + simdjson::SIMDJSON_PADDING;
  if (pool.buffer_capacity < need) {
    pool.buffer.reset(new char[need]);
    pool.buffer_capacity = need;
  }
  if (!text.empty()) std::memcpy(pool.buffer.get(), text.data(), text.size());
  std::memset(pool.buffer.get() + text.size(), 0, simdjson::SIMDJSON_PADDING);
  auto result = ParseRaw(text, pool.buffer.get());
  if (pool.buffer_capacity > (size_t{64} << 20)) {  // do not keep a huge buffer around
    pool.buffer.reset();
    pool.buffer_capacity = 0;
  }
  return result;
}

}  // namespace vigil::json
