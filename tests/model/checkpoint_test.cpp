// Model lookup and loading: clear messages, width read off the checkpoint.
#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "core/error.h"
#include "model/detail/checkpoint.h"
#include "model/model_registry.h"
#include "reference_runner.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

using namespace std::string_literals;  // pickles hold NUL bytes

TEST(ModelRegistry, LoadsTheDefaultModelFromSharedModels) {
  const auto model = load_model("mn04_as", {models_dir()});
  EXPECT_EQ(model->info().num_classes, 527);
  EXPECT_NE(model->info().architecture.find("width 0.4"), std::string::npos) << model->info().architecture;
  EXPECT_EQ(model->frontend().n_mels(), 128);
}

TEST(ModelRegistry, MissingModelNamesFileAndPlaces) {
  const auto dir = temp_dir("missing-model");
  try {
    load_model("cnn14", {dir});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::model_not_loaded);
    const std::string m = e.what();
    EXPECT_NE(m.find("Cnn14_mAP=0.431.pth"), std::string::npos) << m;
    EXPECT_NE(m.find(dir), std::string::npos) << m;
    EXPECT_NE(m.find("zenodo"), std::string::npos) << m;
  }
  const auto a = find_model("mn04_as", model_search_path("/nonexistent-flag-dir"));
  EXPECT_EQ(a.looked_in.front().rfind("/nonexistent-flag-dir", 0), 0u);
}

TEST(ModelRegistry, UnknownModelIsABadRequest) {
  try {
    load_model("resnet9000", {models_dir()});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::bad_request);
  }
}

TEST(Checkpoint, CorruptFileGivesAClearError) {
  const auto dir = temp_dir("corrupt-model");
  std::filesystem::create_directories(dir + "/efficientat");
  std::ofstream(dir + "/efficientat/mn04_as_mAP_432.pt") << "this is not a zip file";
  try {
    load_model("mn04_as", {dir});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::model_not_loaded);
    EXPECT_NE(std::string(e.what()).find("mn04_as_mAP_432.pt"), std::string::npos) << e.what();
  }
}

// Hostile and truncated pickles. Each is placed so that its last byte is the
// last readable byte before an inaccessible page: a read past its end
// crashes the test instead of passing unnoticed.
class GuardedBytes {
 public:
  explicit GuardedBytes(const std::string& bytes) {
    const std::size_t page = std::size_t(sysconf(_SC_PAGESIZE));
    data_pages_ = (bytes.size() + page - 1) / page + 1;
    size_ = (data_pages_ + 1) * page;
    base_ = static_cast<char*>(mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (base_ == MAP_FAILED) throw std::runtime_error("mmap failed");
    mprotect(base_ + data_pages_ * page, page, PROT_NONE);
    begin_ = base_ + data_pages_ * page - bytes.size();
    std::memcpy(begin_, bytes.data(), bytes.size());
    view_ = {begin_, bytes.size()};
  }
  ~GuardedBytes() { munmap(base_, size_); }
  std::string_view view() const { return view_; }

 private:
  char* base_ = nullptr;
  char* begin_ = nullptr;
  std::size_t size_ = 0, data_pages_ = 0;
  std::string_view view_;
};

// A storage record of 4 floats 0, 1, 2, 3 under any key.
detail::RecordReader four_floats() {
  return [](const std::string& name) -> std::pair<std::shared_ptr<const void>, std::size_t> {
    if (name != "data/0") throw std::runtime_error("no record " + name);
    static const float values[4] = {0, 1, 2, 3};
    return {std::shared_ptr<const void>(values, [](const void*) {}), sizeof values};
  };
}

std::string str(const std::string& s) { return "X" + std::string(1, char(s.size())) + std::string(3, '\0') + s; }

// {"w": _rebuild_tensor_v2(persistent(('storage', FloatStorage, '0', 'cpu', NUMEL)), OFFSET, SIZE, STRIDE,
//  False, OrderedDict())} as torch.save writes it (protocol 2).
std::string tensor_pickle(const std::string& numel = "K\x04", const std::string& offset = "K\x00"s,
                          const std::string& size = "K\x02K\x02\x86", const std::string& stride = "K\x02K\x01\x86") {
  return "\x80\x02}q\x00("s + str("w") + "ctorch._utils\n_rebuild_tensor_v2\nq\x01((" + str("storage") +
         "ctorch\nFloatStorage\nq\x02" + str("0") + str("cpu") + numel + "tq\x03Q" + offset + size + stride +
         "\x89" "ccollections\nOrderedDict\nq\x04)Rq\x05tq\x06Rq\x07u.";
}

detail::StateDict unpickle(const std::string& bytes) {
  const GuardedBytes guarded(bytes);
  return detail::state_dict_from_pickle(guarded.view(), four_floats(), "test.pkl");
}

std::string unpickle_error(const std::string& bytes) {
  try {
    unpickle(bytes);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::model_not_loaded) << e.what();
    EXPECT_NE(std::string(e.what()).find("test.pkl"), std::string::npos) << e.what();
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a soundlens::Error: " << e.what();
    return {};
  }
  ADD_FAILURE() << "accepted";
  return {};
}

TEST(CheckpointPickle, ReadsAHandmadeTensor) {
  const auto dict = unpickle(tensor_pickle());
  ASSERT_EQ(dict.count("w"), 1u);
  const auto w = dict.at("w");
  ASSERT_EQ(w.sizes().vec(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(w[1][0].item<float>(), 2.0f);
  EXPECT_EQ(w[1][1].item<float>(), 3.0f);
}

TEST(CheckpointPickle, EveryTruncationIsAnError) {
  const std::string whole = tensor_pickle();
  for (std::size_t n = 0; n < whole.size(); ++n) {
    SCOPED_TRACE(n);
    unpickle_error(whole.substr(0, n));
  }
}

TEST(CheckpointPickle, Long1IsCheckedBeforeItIsRead) {
  // LONG1 announcing 8 bytes with 1 left: read past the end before the fix.
  EXPECT_NE(unpickle_error(std::string("\x80\x02\x8a\x08\x01", 5)).find("truncated"), std::string::npos);
  EXPECT_NE(unpickle_error(std::string("\x8a\x09") + std::string(9, '\x01') + ".").find("too large"),
            std::string::npos);
  // Values: numel given as LONG1 (as torch.save does for large storages), 8 and 2 byte forms.
  EXPECT_EQ(unpickle(tensor_pickle(std::string("\x8a\x08\x04\0\0\0\0\0\0\0", 10))).at("w").numel(), 4);
  EXPECT_EQ(unpickle(tensor_pickle(std::string("\x8a\x02\x04\0", 4))).at("w").numel(), 4);
  // LONG1 -1 (one byte 0xff) as the storage offset: negative, refused.
  EXPECT_NE(unpickle_error(tensor_pickle("K\x04", "\x8a\x01\xff")).find("negative storage offset"),
            std::string::npos);
}

TEST(CheckpointPickle, TensorsOutsideTheirStorageAreRefused) {
  EXPECT_NE(unpickle_error(tensor_pickle("K\x04", "K\x01")).find("outside its storage"), std::string::npos);
  EXPECT_NE(unpickle_error(tensor_pickle("K\x04", "K\x00"s, "K\x03K\x02\x86")).find("outside"), std::string::npos);
  EXPECT_NE(unpickle_error(tensor_pickle("K\x04", "K\x00"s, "K\x02K\x02\x86", "K\x02\x8a\x01\xff\x86"))
                .find("negative"), std::string::npos);
  // size (2, 2^62), stride (2^62, 2^62): the extent overflows 64 bits.
  const std::string big = std::string("\x8a\x08\0\0\0\0\0\0\0\x40", 10);
  EXPECT_NE(unpickle_error(tensor_pickle("K\x04", "K\x00"s, "K\x02" + big + "\x86", big + big + "\x86"))
                .find("overflows"), std::string::npos);
  // A storage claiming more elements than its record holds, or a negative count.
  EXPECT_NE(unpickle_error(tensor_pickle("K\x05")).find("truncated"), std::string::npos);
  EXPECT_NE(unpickle_error(tensor_pickle("\x8a\x01\xff")).find("truncated"), std::string::npos);
  EXPECT_NE(unpickle_error(tensor_pickle(std::string("\x8a\x08\0\0\0\0\0\0\0\x40", 10))).find("truncated"),
            std::string::npos);
}

TEST(CheckpointPickle, WrongTypesAndStackMisuseAreErrors) {
  unpickle_error(".");                         // empty stack
  unpickle_error("K\x01.");                   // not a dict
  unpickle_error("}K\x01s.");                 // SETITEM with one value
  unpickle_error("}(K\x01u.");                // SETITEMS with an odd count
  unpickle_error("h\x07.");                   // memo entry that does not exist
  unpickle_error("K\x01K\x02\x93.");        // STACK_GLOBAL on integers
  unpickle_error("K\x01Q.");                  // persistent id that is not a tuple
  unpickle_error("K\x01)R.");                 // REDUCE on an integer callable: opaque, then not a dict
  unpickle_error("cos\nsystem\nK\x01R.");   // REDUCE with arguments that are not a tuple
  unpickle_error("\xff.");                    // unknown opcode
  unpickle_error("c" + std::string(5000, 'a') + "\nb\n.");  // overlong global name
}

TEST(CheckpointPickle, CyclesAndDeepNestingNeitherLeakNorOverflowTheStack) {
  // A list appended to itself, inside the dict: freed without leaking (LeakSanitizer checks in `sanitize`).
  EXPECT_NE(unpickle_error("}q\x00"s + str("k") + "]q\x01h\x01" "as.").find("no tensors"), std::string::npos);
  // A million nested 1-tuples: freed without recursing a million deep.
  unpickle_error(")" + std::string(1000000, '\x85') + ".");
}

TEST(CheckpointPickle, FetchingALongStringAgainCostsNoCopy) {
  // One 1 MB string fetched from the memo 200,000 times: 200 GB if each GET copied it.
  std::string gets;
  for (int i = 0; i < 200000; ++i) gets += std::string("h\x00", 2);
  const std::string hostile =
      "X" + std::string("\x00\x00\x10\x00", 4) + std::string(1 << 20, 's') + "q\x00"s + gets + ".";
  EXPECT_NE(unpickle_error(hostile).find("not a dict"), std::string::npos);
}

TEST(Checkpoint, HostileZipsGiveAClearError) {
  const std::string zip_magic = "PK\x03\x04";
  for (const std::string& bytes : {std::string(), zip_magic, zip_magic + std::string(100, '\0'),
                                   std::string("PK\x05\x06") + std::string(18, '\xff')}) {
    try {
      detail::read_checkpoint_bytes(bytes, "hostile.pt");
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::model_not_loaded);
      EXPECT_NE(std::string(e.what()).find("hostile.pt"), std::string::npos) << e.what();
    }
  }
}

TEST(Checkpoint, TheSharedCheckpointReadsFromMemoryAsFromItsFile) {
  const std::string path = models_dir() + "/efficientat/mn04_as_mAP_432.pt";
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto from_file = detail::read_checkpoint(path);
  const auto from_memory = detail::read_checkpoint_bytes(bytes, path);
  ASSERT_EQ(from_file.size(), from_memory.size());
  for (const auto& [key, tensor] : from_file) EXPECT_TRUE(tensor.equal(from_memory.at(key))) << key;
}

TEST(Labels, AllClassesInOrder) {
  const auto labels = load_labels({models_dir()});
  ASSERT_EQ(labels->size(), 527);
  EXPECT_EQ(labels->name(0), "Speech");
  EXPECT_EQ(labels->name(47), "Cough");
  EXPECT_EQ(labels->find("cough"), 47);
  EXPECT_EQ(labels->find("47"), 47);
  EXPECT_EQ(labels->find("Railroad car, train wagon").has_value(), true);
  EXPECT_FALSE(labels->find("527").has_value());
  EXPECT_FALSE(labels->find("no such class").has_value());
}

}  // namespace
}  // namespace soundlens::test
