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

class Unpickler {
 public:
  Unpickler(caffe2::serialize::PyTorchStreamReader& archive, const char* data, size_t size)
      : archive_(archive), p_(data), end_(data + size) {}

  PickleValue run() {
    for (;;) {
      const uint8_t op = byte();
      if (op == '.') return pop();
      step(op);
    }
  }

 private:
  caffe2::serialize::PyTorchStreamReader& archive_;
  const char* p_;
  const char* end_;
  std::vector<PickleValue> stack_;
  std::map<int64_t, PickleValue> memo_;
  std::map<std::string, torch::Tensor> storages_;

  void need(size_t n) {
    if (size_t(end_ - p_) < n) throw std::runtime_error("truncated pickle");
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
  std::string line() {
    const char* nl = static_cast<const char*>(std::memchr(p_, '\n', size_t(end_ - p_)));
    if (nl == nullptr) throw std::runtime_error("truncated pickle");
    std::string s(p_, nl);
    p_ = nl + 1;
    return s;
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
  static PickleValue list(std::vector<PickleValue> items) { return {std::make_shared<PickleList>(std::move(items))}; }
  void push(PickleValue v) { stack_.push_back(std::move(v)); }
  PickleValue& top() {
    if (stack_.empty()) throw std::runtime_error("pickle stack underflow");
    return stack_.back();
  }
  void set_items(PickleValue& target, std::vector<PickleValue>& kv) {
    if (target.is<PickleOpaque>()) return;
    if (!target.is<std::shared_ptr<PickleDict>>()) throw std::runtime_error("SETITEMS on a non-dict");
    auto& dict = *target.as<std::shared_ptr<PickleDict>>();
    for (size_t i = 0; i + 1 < kv.size(); i += 2) dict.emplace_back(std::move(kv[i]), std::move(kv[i + 1]));
  }

  void step(uint8_t op);
  PickleValue reduce(const PickleValue& callable, const PickleValue& args);
  PickleValue persistent_load(const PickleValue& pid);
};

void Unpickler::step(uint8_t op) {
  switch (op) {
    case 0x80: byte(); break;                             // PROTO
    case 0x95: little<uint64_t>(); break;                 // FRAME
    case '}': push({std::make_shared<PickleDict>()}); break;
    case ']': push(list({})); break;
    case ')': push(list({})); break;
    case '(': push({PickleMark{}}); break;
    case 'N': push({}); break;
    case 0x88: push({true}); break;
    case 0x89: push({false}); break;
    case 'K': push({int64_t(byte())}); break;
    case 'M': push({int64_t(little<uint16_t>())}); break;
    case 'J': push({int64_t(little<int32_t>())}); break;
    case 0x8a: {  // LONG1: little-endian two's complement
      const size_t n = byte();
      int64_t v = 0;
      for (size_t i = 0; i < n && i < 8; ++i) v |= int64_t(uint8_t(p_[i])) << (8 * i);
      if (n > 0 && n < 8 && (uint8_t(p_[n - 1]) & 0x80)) v -= int64_t(1) << (8 * n);
      bytes(n);
      push({v});
      break;
    }
    case 'G': {  // BINFLOAT, big-endian
      uint64_t bits = 0;
      for (int i = 0; i < 8; ++i) bits = (bits << 8) | byte();
      double d;
      std::memcpy(&d, &bits, 8);
      push({d});
      break;
    }
    case 'X': push({bytes(little<uint32_t>())}); break;   // BINUNICODE
    case 0x8c: push({bytes(byte())}); break;              // SHORT_BINUNICODE
    case 'T': push({bytes(little<uint32_t>())}); break;   // BINSTRING
    case 'U': push({bytes(byte())}); break;               // SHORT_BINSTRING
    case 'B': push({bytes(little<uint32_t>())}); break;   // BINBYTES
    case 'C': push({bytes(byte())}); break;               // SHORT_BINBYTES
    case 'c': {
      std::string module = line();
      push({PickleGlobal{module, line()}});
      break;
    }
    case 0x93: {  // STACK_GLOBAL
      auto name = pop(), module = pop();
      push({PickleGlobal{module.as<std::string>(), name.as<std::string>()}});
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
      PickleValue d{std::make_shared<PickleDict>()};
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
  if (t.size() < 5 || !t[0].is<std::string>() || t[0].as<std::string>() != "storage")
    throw std::runtime_error("unexpected persistent id");
  const auto dtype = storage_dtype(t[1].as<PickleGlobal>().name);
  const auto& key = t[2].as<std::string>();
  const int64_t numel = t[4].as<int64_t>();
  auto found = storages_.find(key);
  if (found == storages_.end()) {
    auto [data, size] = archive_.getRecord("data/" + key);
    const auto element = torch::elementSize(dtype);
    if (size < size_t(numel) * element) throw std::runtime_error("storage " + key + " is truncated");
    auto storage = torch::empty({numel}, torch::TensorOptions().dtype(dtype));
    std::memcpy(storage.data_ptr(), data.get(), size_t(numel) * element);
    found = storages_.emplace(key, storage).first;
  }
  return {found->second};
}

std::vector<int64_t> int_list(const PickleValue& v) {
  std::vector<int64_t> out;
  for (const auto& x : *v.as<std::shared_ptr<PickleList>>()) out.push_back(x.as<int64_t>());
  return out;
}

PickleValue Unpickler::reduce(const PickleValue& callable, const PickleValue& args) {
  if (!callable.is<PickleGlobal>()) return {PickleOpaque{"object"}};
  const auto name = callable.as<PickleGlobal>().qualified();
  const auto& a = *args.as<std::shared_ptr<PickleList>>();
  if (name == "torch._utils._rebuild_tensor_v2") {
    const auto& storage = a.at(0).as<torch::Tensor>();
    return {storage.as_strided(int_list(a.at(2)), int_list(a.at(3)), a.at(1).as<int64_t>())};
  }
  if (name == "torch._utils._rebuild_parameter") return a.at(0);
  if (name == "collections.OrderedDict") return {std::make_shared<PickleDict>()};
  return {PickleOpaque{name}};
}

const PickleDict* dict_entry(const PickleDict& dict, const std::string& key) {
  for (const auto& [k, v] : dict)
    if (k.is<std::string>() && k.as<std::string>() == key && v.is<std::shared_ptr<PickleDict>>())
      return v.as<std::shared_ptr<PickleDict>>().get();
  return nullptr;
}

}  // namespace

StateDict read_checkpoint(const std::string& path) {
  try {
    caffe2::serialize::PyTorchStreamReader archive(path);
    auto [data, size] = archive.getRecord("data.pkl");
    Unpickler unpickler(archive, static_cast<const char*>(data.get()), size);
    const PickleValue root = unpickler.run();
    if (!root.is<std::shared_ptr<PickleDict>>()) fail(path, "the checkpoint is not a dict");
    const PickleDict* dict = root.as<std::shared_ptr<PickleDict>>().get();
    for (const char* nested : {"model", "state_dict"})
      if (const PickleDict* inner = dict_entry(*dict, nested)) dict = inner;
    StateDict out;
    for (const auto& [k, v] : *dict)
      if (k.is<std::string>() && v.is<torch::Tensor>()) out[k.as<std::string>()] = v.as<torch::Tensor>();
    if (out.empty()) fail(path, "no tensors found in its state dict");
    return out;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    fail(path, std::string(e.what()).substr(0, 300));
  }
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
