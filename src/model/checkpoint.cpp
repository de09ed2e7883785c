// A small pickle machine for torch.save zip files: enough of protocol 2-4 for
// dicts, OrderedDicts, tuples and tensors, so that both the EfficientAT and the
// official PANNs checkpoints load without Python.
#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <map>
#include <sstream>

#include "core/error.h"
#include "model/detail/checkpoint.h"
#include "model/detail/pickle_value.h"

namespace soundlens::detail {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& why) {
  throw Error(ErrorCode::model_not_loaded, "cannot read checkpoint " + path + ": " + why);
}

torch::Dtype storage_dtype(const std::string& storage_type) {
  static const std::map<std::string, torch::Dtype> types = {
      {"FloatStorage", torch::kFloat},   {"DoubleStorage", torch::kDouble}, {"HalfStorage", torch::kHalf},
      {"BFloat16Storage", torch::kBFloat16}, {"LongStorage", torch::kLong}, {"IntStorage", torch::kInt},
      {"ShortStorage", torch::kShort},   {"CharStorage", torch::kChar},     {"ByteStorage", torch::kByte},
      {"BoolStorage", torch::kBool}};
  auto it = types.find(storage_type);
  if (it == types.end()) throw std::runtime_error("unsupported storage type " + storage_type);
  return it->second;
}

// Limits that no real checkpoint comes near; they keep hostile input from
// turning a few bytes into unbounded work.
constexpr std::size_t kMaxGlobalName = 1024;  // module or name of a GLOBAL
constexpr std::size_t kMaxDims = 64;          // of a tensor

class Unpickler {
 public:
  Unpickler(const RecordReader& records, std::string_view pickle)
      : records_(records), p_(pickle.data()), end_(pickle.data() + pickle.size()) {}
  Unpickler(const Unpickler&) = delete;
  Unpickler& operator=(const Unpickler&) = delete;

  // Lists and dicts may refer to each other in any shape a pickle can build:
  // cycles (a list appended to itself) and nesting a million deep. Every
  // container is kept here and emptied before any is freed, so that neither
  // leaks nor recursion in the destructors are possible.
  ~Unpickler() {
    stack_.clear();
    memo_.clear();
    for (auto& l : lists_) l->clear();
    for (auto& d : dicts_) d->clear();
  }

  PickleValue run() {
    for (;;) {
      const uint8_t op = byte();
      if (op == '.') return pop();
      step(op);
    }
  }

 private:
  const RecordReader& records_;
  const char* p_;
  const char* end_;
  std::vector<PickleValue> stack_;
  std::map<int64_t, PickleValue> memo_;
  std::map<std::string, torch::Tensor> storages_;
  std::vector<std::shared_ptr<PickleList>> lists_;
  std::vector<std::shared_ptr<PickleDict>> dicts_;

  std::size_t left() const { return std::size_t(end_ - p_); }
  void need(size_t n) {
    if (left() < n) throw std::runtime_error("truncated pickle");
  }
  uint8_t byte() {
    need(1);
    return uint8_t(*p_++);
  }
  template <class T> T little() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, p_, sizeof(T));
    p_ += sizeof(T);
    return v;
  }
  std::string bytes(size_t n) {
    need(n);
    std::string s(p_, n);
    p_ += n;
    return s;
  }
  PickleValue text(size_t n) { return {std::make_shared<const std::string>(bytes(n))}; }
  std::string line() {
    const char* nl = static_cast<const char*>(std::memchr(p_, '\n', left()));
    if (nl == nullptr) throw std::runtime_error("truncated pickle");
    std::string s(p_, nl);
    p_ = nl + 1;
    return s;
  }
  // LONG1: n bytes of little-endian two's complement; more than 8 do not fit.
  int64_t long1() {
    const size_t n = byte();
    if (n > 8) throw std::runtime_error("pickle integer of " + std::to_string(n) + " bytes is too large");
    need(n);
    uint64_t bits = 0;
    for (size_t i = 0; i < n; ++i) bits |= uint64_t(uint8_t(p_[i])) << (8 * i);
    if (n > 0 && n < 8 && (uint8_t(p_[n - 1]) & 0x80)) bits |= ~uint64_t(0) << (8 * n);  // sign-extend
    p_ += n;
    return static_cast<int64_t>(bits);
  }
  PickleValue pop() {
    if (stack_.empty()) throw std::runtime_error("pickle stack underflow");
    PickleValue v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  std::vector<PickleValue> pop_to_mark() {
    for (size_t i = stack_.size(); i-- > 0;) {
      if (stack_[i].is<PickleMark>()) {
        std::vector<PickleValue> items(std::make_move_iterator(stack_.begin() + long(i) + 1),
                                       std::make_move_iterator(stack_.end()));
        stack_.resize(i);
        return items;
      }
    }
    throw std::runtime_error("pickle mark not found");
  }
  // Tuples and lists are both sequences here: nothing we read tells them apart.
  PickleValue list(std::vector<PickleValue> items) {
    lists_.push_back(std::make_shared<PickleList>(std::move(items)));
    return {lists_.back()};
  }
  PickleValue dict() {
    dicts_.push_back(std::make_shared<PickleDict>());
    return {dicts_.back()};
  }
  PickleGlobal global(std::string module, std::string name) {
    if (module.size() > kMaxGlobalName || name.size() > kMaxGlobalName)
      throw std::runtime_error("pickle global name too long");
    return {std::move(module), std::move(name)};
  }
  void push(PickleValue v) { stack_.push_back(std::move(v)); }
  PickleValue& top() {
    if (stack_.empty()) throw std::runtime_error("pickle stack underflow");
    return stack_.back();
  }
  void set_items(PickleValue& target, std::vector<PickleValue>& kv) {
    if (target.is<PickleOpaque>()) return;
    if (!target.is<std::shared_ptr<PickleDict>>()) throw std::runtime_error("SETITEMS on a non-dict");
    if (kv.size() % 2 != 0) throw std::runtime_error("SETITEMS with an odd number of items");
    auto& dict = *target.as<std::shared_ptr<PickleDict>>();
    for (size_t i = 0; i + 1 < kv.size(); i += 2) dict.emplace_back(std::move(kv[i]), std::move(kv[i + 1]));
  }

  void step(uint8_t op);
  PickleValue reduce(const PickleValue& callable, const PickleValue& args);
  PickleValue persistent_load(const PickleValue& pid);
  torch::Tensor rebuild_tensor(const PickleList& args) const;
};

void Unpickler::step(uint8_t op) {
  switch (op) {
    case 0x80: byte(); break;                             // PROTO
    case 0x95: little<uint64_t>(); break;                 // FRAME
    case '}': push(dict()); break;
    case ']': push(list({})); break;
    case ')': push(list({})); break;
    case '(': push({PickleMark{}}); break;
    case 'N': push({}); break;
    case 0x88: push({true}); break;
    case 0x89: push({false}); break;
    case 'K': push({int64_t(byte())}); break;
    case 'M': push({int64_t(little<uint16_t>())}); break;
    case 'J': push({int64_t(little<int32_t>())}); break;
    case 0x8a: push({long1()}); break;                    // LONG1
    case 'G': {  // BINFLOAT, big-endian
      uint64_t bits = 0;
      for (int i = 0; i < 8; ++i) bits = (bits << 8) | byte();
      double d;
      std::memcpy(&d, &bits, 8);
      push({d});
      break;
    }
    case 'X': push(text(little<uint32_t>())); break;   // BINUNICODE
    case 0x8c: push(text(byte())); break;              // SHORT_BINUNICODE
    case 'T': push(text(little<uint32_t>())); break;   // BINSTRING
    case 'U': push(text(byte())); break;               // SHORT_BINSTRING
    case 'B': push(text(little<uint32_t>())); break;   // BINBYTES
    case 'C': push(text(byte())); break;               // SHORT_BINBYTES
    case 'c': {
      std::string module = line();
      push({global(std::move(module), line())});
      break;
    }
    case 0x93: {  // STACK_GLOBAL
      auto name = pop(), module = pop();
      push({global(module.string(), name.string())});
      break;
    }
    case 'q': memo_[byte()] = top(); break;
    case 'r': memo_[little<uint32_t>()] = top(); break;
    case 0x94: memo_[int64_t(memo_.size())] = top(); break;  // MEMOIZE
    case 'h': push(memo_.at(byte())); break;
    case 'j': push(memo_.at(little<uint32_t>())); break;
    case 't': push(list(pop_to_mark())); break;
    case 0x85: { auto a = pop(); push(list({a})); break; }
    case 0x86: { auto b = pop(), a = pop(); push(list({a, b})); break; }
    case 0x87: { auto c = pop(), b = pop(), a = pop(); push(list({a, b, c})); break; }
    case 'l': push(list(pop_to_mark())); break;
    case 'a': {
      auto item = pop();
      if (top().is<std::shared_ptr<PickleList>>()) top().as<std::shared_ptr<PickleList>>()->push_back(item);
      break;
    }
    case 'e': {
      auto items = pop_to_mark();
      if (top().is<std::shared_ptr<PickleList>>()) {
        auto& l = *top().as<std::shared_ptr<PickleList>>();
        l.insert(l.end(), items.begin(), items.end());
      }
      break;
    }
    case 'd': {  // DICT
      auto kv = pop_to_mark();
      PickleValue d = dict();
      set_items(d, kv);
      push(d);
      break;
    }
    case 's': {
      auto value = pop(), key = pop();
      std::vector<PickleValue> kv{key, value};
      set_items(top(), kv);
      break;
    }
    case 'u': {
      auto kv = pop_to_mark();
      set_items(top(), kv);
      break;
    }
    case 'R': {
      auto args = pop(), callable = pop();
      push(reduce(callable, args));
      break;
    }
    case 0x81: {  // NEWOBJ: cls.__new__(cls, *args)
      pop();
      auto cls = pop();
      push({PickleOpaque{cls.is<PickleGlobal>() ? cls.as<PickleGlobal>().qualified() : "object"}});
      break;
    }
    case 'b': pop(); break;  // BUILD: object state (e.g. a state dict's _metadata) is not needed
    case 'Q': {
      auto pid = pop();
      push(persistent_load(pid));
      break;
    }
    default: {
      std::ostringstream msg;
      msg << "unsupported pickle opcode 0x" << std::hex << int(op);
      throw std::runtime_error(msg.str());
    }
  }
}

PickleValue Unpickler::persistent_load(const PickleValue& pid) {
  // ('storage', torch.FloatStorage, key, location, numel)
  if (!pid.is<std::shared_ptr<PickleList>>()) throw std::runtime_error("unexpected persistent id");
  const auto& t = *pid.as<std::shared_ptr<PickleList>>();
  if (t.size() < 5 || !t[0].is_string() || t[0].string() != "storage")
    throw std::runtime_error("unexpected persistent id");
  const auto dtype = storage_dtype(t[1].as<PickleGlobal>().name);
  const auto& key = t[2].string();
  const int64_t numel = t[4].as<int64_t>();
  auto found = storages_.find(key);
  if (found == storages_.end()) {
    auto [data, size] = records_("data/" + key);
    const auto element = torch::elementSize(dtype);
    if (numel < 0 || (data == nullptr && size > 0) || size / element < uint64_t(numel))
      throw std::runtime_error("storage " + key.substr(0, 100) + " is truncated");
    auto storage = torch::empty({numel}, torch::TensorOptions().dtype(dtype));
    if (numel > 0) std::memcpy(storage.data_ptr(), data.get(), size_t(numel) * element);
    found = storages_.emplace(key, storage).first;
  } else if (found->second.scalar_type() != dtype) {
    throw std::runtime_error("storage " + key.substr(0, 100) + " is used with two types");
  }
  return {found->second};
}

std::vector<int64_t> int_list(const PickleValue& v) {
  std::vector<int64_t> out;
  for (const auto& x : *v.as<std::shared_ptr<PickleList>>()) out.push_back(x.as<int64_t>());
  return out;
}

// _rebuild_tensor_v2(storage, offset, size, stride, ...): a view that must
// lie inside its storage. Checked here, in 64-bit arithmetic that cannot
// overflow, rather than trusting as_strided to refuse every bad layout.
torch::Tensor Unpickler::rebuild_tensor(const PickleList& a) const {
  const auto& storage = a.at(0).as<torch::Tensor>();
  const int64_t offset = a.at(1).as<int64_t>();
  const auto size = int_list(a.at(2)), stride = int_list(a.at(3));
  if (size.size() != stride.size() || size.size() > kMaxDims)
    throw std::runtime_error("tensor size and stride do not match");
  if (offset < 0) throw std::runtime_error("tensor has a negative storage offset");
  int64_t last = offset;  // the highest element index the view touches
  bool empty = false;
  for (std::size_t i = 0; i < size.size(); ++i) {
    if (size[i] < 0 || stride[i] < 0) throw std::runtime_error("tensor has a negative size or stride");
    if (size[i] == 0) empty = true;
    int64_t reach = 0;
    if (size[i] > 0 && (__builtin_mul_overflow(size[i] - 1, stride[i], &reach) ||
                        __builtin_add_overflow(last, reach, &last)))
      throw std::runtime_error("tensor layout overflows");
  }
  if (!empty && last >= storage.numel()) throw std::runtime_error("tensor lies outside its storage");
  if (empty && offset > storage.numel()) throw std::runtime_error("tensor lies outside its storage");
  return storage.as_strided(size, stride, offset);
}

PickleValue Unpickler::reduce(const PickleValue& callable, const PickleValue& args) {
  if (!callable.is<PickleGlobal>()) return {PickleOpaque{"object"}};
  const auto name = callable.as<PickleGlobal>().qualified();
  const auto& a = *args.as<std::shared_ptr<PickleList>>();
  if (name == "torch._utils._rebuild_tensor_v2") return {rebuild_tensor(a)};
  if (name == "torch._utils._rebuild_parameter") return a.at(0);
  if (name == "collections.OrderedDict") return dict();
  return {PickleOpaque{name}};
}

const PickleDict* dict_entry(const PickleDict& dict, const std::string& key) {
  for (const auto& [k, v] : dict)
    if (k.is_string() && k.string() == key && v.is<std::shared_ptr<PickleDict>>())
      return v.as<std::shared_ptr<PickleDict>>().get();
  return nullptr;
}

// Whatever goes wrong below the archive (a bad zip, a bad pickle, a storage
// that is missing) is one Error naming the file.
template <class F>
StateDict guarded(const std::string& name, F&& read) {
  try {
    return read();
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    fail(name, "out of memory");
  } catch (const std::exception& e) {
    fail(name, std::string(e.what()).substr(0, 300));
  }
}

StateDict read_archive(caffe2::serialize::PyTorchStreamReader& archive, const std::string& name) {
  auto [data, size] = archive.getRecord("data.pkl");
  const RecordReader records = [&archive](const std::string& record) {
    auto [ptr, bytes] = archive.getRecord(record);
    auto owner = std::make_shared<at::DataPtr>(std::move(ptr));
    return std::pair<std::shared_ptr<const void>, std::size_t>(std::shared_ptr<const void>(owner, owner->get()),
                                                               bytes);
  };
  return state_dict_from_pickle(std::string_view(static_cast<const char*>(data.get()), size), records, name);
}

}  // namespace

StateDict state_dict_from_pickle(std::string_view pickle, const RecordReader& records, const std::string& name) {
  return guarded(name, [&] {
    Unpickler unpickler(records, pickle);
    const PickleValue root = unpickler.run();
    if (!root.is<std::shared_ptr<PickleDict>>()) fail(name, "the checkpoint is not a dict");
    const PickleDict* dict = root.as<std::shared_ptr<PickleDict>>().get();
    for (const char* nested : {"model", "state_dict"})
      if (const PickleDict* inner = dict_entry(*dict, nested)) dict = inner;
    StateDict out;
    for (const auto& [k, v] : *dict)
      if (k.is_string() && v.is<torch::Tensor>()) out[k.string()] = v.as<torch::Tensor>();
    if (out.empty()) fail(name, "no tensors found in its state dict");
    return out;
  });
}

StateDict read_checkpoint(const std::string& path) {
  return guarded(path, [&] {
    caffe2::serialize::PyTorchStreamReader archive(path);
    return read_archive(archive, path);
  });
}

StateDict read_checkpoint_bytes(std::string_view bytes, const std::string& name) {
  return guarded(name, [&] {
    std::istringstream in{std::string(bytes)};
    caffe2::serialize::PyTorchStreamReader archive(&in);
    return read_archive(archive, name);
  });
}

const torch::Tensor& require(const StateDict& dict, const std::string& key, const std::vector<int64_t>& shape) {
  auto it = dict.find(key);
  if (it == dict.end()) throw Error(ErrorCode::model_not_loaded, "checkpoint has no tensor '" + key + "'");
  if (!shape.empty() && it->second.sizes().vec() != shape) {
    std::ostringstream msg;
    msg << "checkpoint tensor '" << key << "' has shape " << it->second.sizes() << ", expected "
        << torch::IntArrayRef(shape);
    throw Error(ErrorCode::model_not_loaded, msg.str());
  }
  return it->second;
}

}  // namespace soundlens::detail
