#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "train/labelled_folder.h"

namespace soundlens {
namespace {
namespace fs = std::filesystem;

class LabelledFolderTest : public ::testing::Test {
 protected:
  fs::path root = fs::temp_directory_path() / ("labelled_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                               "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override { fs::remove_all(root); fs::create_directories(root); }
  void TearDown() override { fs::remove_all(root); }
  void file(const std::string& rel, const std::string& bytes) {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel, std::ios::binary) << bytes;
  }
  std::string message_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::bad_request);
      return e.what();
    }
    ADD_FAILURE() << "no error";
    return "";
  }
};

TEST_F(LabelledFolderTest, LabelsAreTheFoldersAndNestedFilesBelongToThem) {
  file("dog/a.wav", "1");
  file("dog/night/b.wav", "2");
  file("cat/c.wav", "3");
  file("none/d.wav", "4");
  const auto f = read_labelled_folder(root.string());
  EXPECT_EQ(f.classes, (std::vector<std::string>{"cat", "dog"}));
  EXPECT_TRUE(f.negative_class);
  EXPECT_FALSE(f.multi_label);
  ASSERT_EQ(f.files.size(), 4u);
  int dogs = 0, negatives = 0;
  for (const auto& x : f.files) {
    if (x.labels == std::vector<int>{1}) ++dogs;
    if (x.labels.empty()) ++negatives;
    EXPECT_EQ(x.sha256.size(), 64u);
  }
  EXPECT_EQ(dogs, 2);
  EXPECT_EQ(negatives, 1);
}

TEST_F(LabelledFolderTest, TheSameRecordingUnderTwoLabelsMakesItMultiLabel) {
  file("rain/a.wav", "same bytes");
  file("wind/a.wav", "same bytes");
  file("wind/b.wav", "other");
  const auto f = read_labelled_folder(root.string());
  EXPECT_TRUE(f.multi_label);
  ASSERT_EQ(f.files.size(), 2u);
  EXPECT_EQ(f.files[0].labels, (std::vector<int>{0, 1}));
}

TEST_F(LabelledFolderTest, StrayHiddenAndDuplicateFilesAreListedAsSkipped) {
  file("notes.txt", "x");
  file("a/.DS_Store", "y");
  file("a/1.wav", "1");
  file("a/copy.wav", "1");
  file("b/2.wav", "2");
  const auto f = read_labelled_folder(root.string());
  EXPECT_EQ(f.files.size(), 2u);
  ASSERT_EQ(f.skipped.size(), 3u);
  std::string all;
  for (const auto& s : f.skipped) all += s + "\n";
  EXPECT_NE(all.find("notes.txt: not inside a label folder"), std::string::npos) << all;
  EXPECT_NE(all.find(".DS_Store: hidden"), std::string::npos) << all;
  EXPECT_NE(all.find("copy.wav: the same recording as a/1.wav"), std::string::npos) << all;
}

TEST_F(LabelledFolderTest, BadLayoutsSayWhatIsWrong) {
  EXPECT_NE(message_of([&] { read_labelled_folder((root / "missing").string()); }).find("is not a folder"), std::string::npos);
  EXPECT_NE(message_of([&] { read_labelled_folder(root.string()); }).find("no label folders"), std::string::npos);
  file("cough/a.wav", "1");
  EXPECT_NE(message_of([&] { read_labelled_folder(root.string()); }).find("one label, 'cough'"), std::string::npos);
  fs::create_directories(root / "sneeze");
  EXPECT_NE(message_of([&] { read_labelled_folder(root.string()); }).find("'sneeze'"), std::string::npos);
  file("sneeze/b.wav", "2");
  EXPECT_NO_THROW(read_labelled_folder(root.string()));
  fs::create_directories(root / "bad\x01label");
  std::ofstream(root / "bad\x01label" / "c.wav") << "3";
  EXPECT_NE(message_of([&] { read_labelled_folder(root.string()); }).find("not a valid label"), std::string::npos);
  fs::remove_all(root / "bad\x01label");
  file(std::string(120, 'x') + "/d.wav", "4");
  EXPECT_NE(message_of([&] { read_labelled_folder(root.string()); }).find("at most 100 bytes"), std::string::npos);
}

// Labels that are not UTF-8 (or are overlong or surrogate forms) are refused naming them; well-formed
// non-ASCII labels are kept.
TEST_F(LabelledFolderTest, ALabelThatIsNotUtf8IsRefused) {
  file("cough/a.wav", "1");
  file("caf\xc3\xa9 \xe2\x99\xab/b.wav", "2");  // "café ♫"
  EXPECT_EQ(read_labelled_folder(root.string()).classes.size(), 2u);
  for (const std::string bad : {"latin\xe9", "over\xc0\xaflong", "surrogate\xed\xa0\x80", "cut\xe2\x99", "big\xf5\x80\x80\x80"}) {
    file(bad + "/c.wav", "3" + bad);
    const auto message = message_of([&] { read_labelled_folder(root.string()); });
    EXPECT_NE(message.find("not a valid label (printable UTF-8"), std::string::npos) << bad << ": " << message;
    fs::remove_all(root / bad);
  }
}

// Links that loop, dangle or lead to folders are listed as skipped with the reason; reading stops.
TEST_F(LabelledFolderTest, SymlinkLoopsAndDanglingLinksAreListedNeverFollowed) {
  file("cough/a.wav", "1");
  file("laughter/b.wav", "2");
  fs::create_directory_symlink(root / "cough", root / "cough" / "loop");      // a folder containing itself
  fs::create_directory_symlink(root, root / "laughter" / "up");               // the whole layout again
  fs::create_symlink(root / "cough" / "self", root / "cough" / "self");       // a link to itself
  fs::create_symlink(root / "nowhere.wav", root / "laughter" / "dangling.wav");
  fs::create_symlink(root / "top-self", root / "top-self");                   // at the top, beside the labels
  const auto f = read_labelled_folder(root.string());
  ASSERT_EQ(f.files.size(), 2u);
  std::string skipped;
  for (const auto& s : f.skipped) skipped += s + "\n";
  EXPECT_NE(skipped.find("cough/loop/: a link to a folder, not followed"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("laughter/up/: a link to a folder, not followed"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("cough/self: cannot be read"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("laughter/dangling.wav: cannot be read"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("top-self: cannot be read"), std::string::npos) << skipped;
}

TEST_F(LabelledFolderTest, OneLabelWithANegativeFolderIsADetector) {
  file("cough/a.wav", "1");
  file("Background/b.wav", "2");
  const auto f = read_labelled_folder(root.string());
  EXPECT_EQ(f.classes, std::vector<std::string>{"cough"});
  EXPECT_TRUE(f.negative_class);
}

}  // namespace
}  // namespace soundlens
