// Download names made from uploaded names: the header cannot be broken or
// turned into a path, and a UTF-8 name survives in filename*.
#include <gtest/gtest.h>

#include <algorithm>

#include "http/server/content_disposition.h"

namespace soundlens::http {
namespace {

TEST(ContentDisposition, APlainNameIsKeptInBothForms) {
  EXPECT_EQ(attachment_disposition("night 1 (ward).events.csv"),
            "attachment; filename=\"night 1 (ward).events.csv\"; filename*=UTF-8''night%201%20%28ward%29.events.csv");
}

TEST(ContentDisposition, HostileBytesNeverLeaveTheQuotes) {
  for (const std::string name : {std::string("a\"b.csv"), std::string("a\r\nSet-Cookie: x=1.csv"),
                                 std::string("a\\\"; filename=evil.exe"), std::string("..\\..\\x;y.csv"),
                                 std::string("a\0b.csv", 7), std::string("%0d%0a.csv")}) {
    const std::string header = attachment_disposition(name);
    SCOPED_TRACE(header);
    EXPECT_EQ(header.find_first_of(std::string("\r\n\0\\", 4)), std::string::npos);
    // Exactly the two quotes of filename="...", and one ';' before filename*.
    EXPECT_EQ(std::count(header.begin(), header.end(), '"'), 2);
    EXPECT_EQ(std::count(header.begin(), header.end(), ';'), 2);
    const std::string encoded = header.substr(header.find("UTF-8''") + 7);
    EXPECT_EQ(encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~%"),
              std::string::npos);
  }
}

TEST(ContentDisposition, AUtf8NameIsPercentEncodedAndItsAsciiFormIsUnderscored) {
  // "Husten – Nacht" (an en dash, 3 bytes) and "ü" (2 bytes).
  EXPECT_EQ(attachment_disposition("Husten \xE2\x80\x93 N\xC3\xBC.pdf"),
            "attachment; filename=\"Husten ___ N__.pdf\"; filename*=UTF-8''Husten%20%E2%80%93%20N%C3%BC.pdf");
  EXPECT_EQ(attachment_disposition(""), "attachment; filename=\"download\"; filename*=UTF-8''download");
}

TEST(ContentDisposition, TheDownloadIsTheRecordingWithoutFoldersOrExtension) {
  EXPECT_EQ(download_name("cough night.flac", ".events.csv", "id"), "cough night.events.csv");
  EXPECT_EQ(download_name("a.b.wav", ".raven.txt", "id"), "a.b.raven.txt");
  EXPECT_EQ(download_name("no_extension", ".labels.txt", "id"), "no_extension.labels.txt");
  EXPECT_EQ(download_name("../../etc/passwd", ".report.pdf", "id"), "passwd.report.pdf");
  EXPECT_EQ(download_name("C:\\rec\\ward 3.wav", ".events.csv", "id"), "ward 3.events.csv");
  EXPECT_EQ(download_name(".wav", ".events.csv", "abc"), "abc.events.csv") << "only an extension";
  EXPECT_EQ(download_name("dir/", ".events.csv", "abc"), "abc.events.csv");
  EXPECT_EQ(download_name("..", ".events.csv", "abc"), "abc.events.csv");
  EXPECT_EQ(download_name("", ".events.csv", "abc"), "abc.events.csv");
}

}  // namespace
}  // namespace soundlens::http
