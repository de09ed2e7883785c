// The archive of reviewed clips: the ZIP writer read back by Info-ZIP's unzip
// and Python's zipfile (independent readers), CRC-32 against known values,
// hostile entry names, and which events become clips under which names.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "command_output.h"
#include "core/error.h"
#include "exports/reviewed_clips.h"
#include "exports/zip_writer.h"

namespace soundlens {
namespace {

namespace fs = std::filesystem;
using test::command_output;
using test::run_command;

std::vector<std::uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

fs::path save(const std::vector<std::uint8_t>& data) {
  const auto path = fs::temp_directory_path() / ("soundlens-zip-" + std::to_string(::getpid()) + ".zip");
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
  return path;
}

TEST(Zip, Crc32OfKnownInputs) {
  EXPECT_EQ(crc32(bytes("")), 0u);
  EXPECT_EQ(crc32(bytes("123456789")), 0xCBF43926u);  // the check value of CRC-32/ISO-HDLC
  EXPECT_EQ(crc32(bytes("The quick brown fox jumps over the lazy dog")), 0x414FA339u);
}

TEST(Zip, ArchivesAreReadBackByUnzipAndPythonsZipfile) {
  ZipWriter zip;
  std::vector<std::uint8_t> binary(70000);
  for (std::size_t i = 0; i < binary.size(); ++i) binary[i] = std::uint8_t((i * 7919) >> 3);  // every byte value
  zip.add("Cough/night_e0_1250ms.wav", binary);
  zip.add("Baby cry, infant cry/night_e3_9600ms.wav", bytes("RIFF....WAVE"));
  zip.add("Caf\xc3\xa9/\xc3\xa9t\xc3\xa9.txt", bytes("UTF-8 names"));
  zip.add("clips.csv", bytes("file\r\n"));
  zip.add("empty.txt", {});
  const auto path = save(zip.finish());
  if (!command_output("command -v unzip").empty()) {
    const auto tested = run_command("unzip -t " + path.string() + " 2>&1");
    EXPECT_EQ(tested.status, 0) << tested.out;
    EXPECT_NE(tested.out.find("No errors detected"), std::string::npos) << tested.out;
  }
  const auto read = run_command(
      "python3 -c \"import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; "
      "print('|'.join(i.filename + ':' + str(i.file_size) + ':' + str(i.compress_type) for i in z.infolist())); "
      "d = z.read('Cough/night_e0_1250ms.wav'); print(len(d), sum(d) % 65521)\" " + path.string() + " 2>&1");
  fs::remove(path);
  ASSERT_EQ(read.status, 0) << read.out;
  std::uint64_t sum = 0;
  for (auto b : binary) sum += b;
  EXPECT_EQ(read.out,
            "Cough/night_e0_1250ms.wav:70000:0|Baby cry, infant cry/night_e3_9600ms.wav:12:0|"
            "Caf\xc3\xa9/\xc3\xa9t\xc3\xa9.txt:11:0|clips.csv:6:0|empty.txt:0:0\n70000 " +
                std::to_string(sum % 65521) + "\n");
}

TEST(Zip, HostileEntryNamesAreRefused) {
  ZipWriter zip;
  for (const std::string& name : std::vector<std::string>{"", "/etc/passwd", "../x", "a/../../x", "a\\b", std::string("a\0b", 3), "tab\there"})
    EXPECT_THROW(zip.add(name, {}), Error) << name;
  zip.add("a.txt", {});
  EXPECT_THROW(zip.add("a.txt", {}), Error);  // twice
}

TEST(ReviewedClips, OnlyConfirmedEventsAsReviewedOneFolderPerClass) {
  const std::vector<Event> events{{47, "Cough", 1.25, 2.5, 0.9f, 0, 1},
                                  {47, "Cough", 3.0, 4.0, 0.8f, 0, 1},
                                  {23, "Baby cry, infant cry", 9.6, 11.2, 0.4f, 0, 1},
                                  {47, "Cough", 12.0, 13.0, 0.7f, 0, 1},
                                  {0, "Speech", 20.0, 21.0, 0.7f, 0, 1}};
  const std::vector<EventReview> reviews{
      {.status = "confirmed"},
      {.status = "rejected"},
      {.status = "confirmed"},
      {.status = "confirmed", .label_index = 49, .label = "Sneeze", .onset_s = 12.5},  // relabelled and moved
      {.status = "unreviewed"}};
  const auto clips = confirmed_clips(events, reviews, "../ward 3/night: bed?.flac", 32000);
  ASSERT_EQ(clips.size(), 3u);
  EXPECT_EQ(clips[0].path, "Cough/night__bed_e0_1250ms.wav");
  EXPECT_EQ(clips[1].path, "Baby cry, infant cry/night__bed_e2_9600ms.wav");
  EXPECT_EQ(clips[2].path, "Sneeze/night__bed_e3_12500ms.wav");
  EXPECT_EQ(clips[2].event.index, 49);
  EXPECT_DOUBLE_EQ(clips[2].event.onset_s, 12.5);
  const std::string manifest = clips_manifest_csv(clips);
  EXPECT_EQ(manifest.substr(0, manifest.find("\r\n")), "file,index,label,onset_s,offset_s,event_index,probability");
  EXPECT_NE(manifest.find("\"Baby cry, infant cry/night__bed_e2_9600ms.wav\",23,\"Baby cry, infant cry\",9.600,11.200,2,"),
            std::string::npos)
      << manifest;
  EXPECT_TRUE(confirmed_clips(events, {}, "x.wav", 32000).empty());  // nothing reviewed: no clip
}

TEST(ReviewedClips, ClassNamesBecomeSafeFolderNames) {
  EXPECT_EQ(label_folder("Bee, wasp, etc."), "Bee, wasp, etc");
  EXPECT_EQ(label_folder("Dental drill, dentist's drill"), "Dental drill, dentist's drill");
  EXPECT_EQ(label_folder("a/b\\c:d*e?f\"g<h>i|j"), "a_b_c_d_e_f_g_h_i_j");
  EXPECT_EQ(label_folder(".."), "_");
  EXPECT_EQ(label_folder(" \x01 "), "_");
}

}  // namespace
}  // namespace soundlens
