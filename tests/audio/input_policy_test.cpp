// Uploads are data, never instructions: playlists, manifests and session
// descriptions that FFmpeg would follow (fetching URLs, binding UDP ports)
// are refused as unsupported formats before anything is opened, codecs
// outside the allow-list are refused, and decoding has a wall-clock limit.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "audio/audio.h"
#include "audio_test_support.h"
#include "core/error.h"

namespace soundlens::test {
namespace {

struct Outcome {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  bool threw = false;
};

Outcome outcome_of(const std::function<void()>& decode) {
  try {
    decode();
  } catch (const Error& e) {
    return {e.code(), e.what(), true};
  } catch (const std::exception& e) {
    return {ErrorCode::internal, std::string("std::exception: ") + e.what(), true};
  }
  return {};
}

std::vector<std::uint8_t> bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

// A TCP listener on 127.0.0.1 (port chosen by the OS) that counts the
// connections it receives, accepting and closing each one at once, so that
// a decoder that does connect fails fast instead of hanging the test.
class CountingListener {
 public:
  CountingListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd_, 16) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      throw std::runtime_error("cannot listen on loopback");
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~CountingListener() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }
  // Waits a little for late connection attempts, then counts.
  int connections() {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return count_;
  }

 private:
  void run() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client >= 0) {
        ++count_;
        ::close(client);
      }
    }
  }
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> count_{0};
  std::thread thread_;
};

// Both entry points, the same bytes: unsupported_format naming `format`, no connection.
void expect_refused_without_connecting(const std::string& text, const std::string& format,
                                       CountingListener& listener) {
  TempDir dir;
  write_bytes(dir.path("upload.bin"), bytes_of(text));
  const std::vector<std::pair<const char*, std::function<void()>>> ways = {
      {"memory", [&] { decode_memory(bytes_of(text), {.time_limit_s = 5}); }},
      {"file", [&] { decode_file(dir.path("upload.bin"), {.time_limit_s = 5}); }}};
  for (const auto& [name, decode] : ways) {
    SCOPED_TRACE(name);
    const Outcome o = outcome_of(decode);
    ASSERT_TRUE(o.threw) << "decoded as audio";
    EXPECT_EQ(error_code_name(o.code), "unsupported_format") << o.message;
    EXPECT_NE(o.message.find("not an audio file"), std::string::npos) << o.message;
    EXPECT_NE(o.message.find(format), std::string::npos) << o.message;
    EXPECT_NE(o.message.find("WAV, MP3"), std::string::npos) << "names what is accepted: " << o.message;
  }
  EXPECT_EQ(listener.connections(), 0) << "the decoder connected to the URL in the " << format << " input";
}

TEST(AudioInputPolicy, HlsPlaylistIsRefusedWithoutFetching) {
  CountingListener listener;
  const std::string playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://127.0.0.1:" +
                               std::to_string(listener.port()) + "/x.ts\n";
  EXPECT_LE(playlist.size(), 80u);  // the 73-byte attack of issue 7
  expect_refused_without_connecting(playlist, "hls", listener);
}

TEST(AudioInputPolicy, DashManifestIsRefusedWithoutFetching) {
  CountingListener listener;
  const std::string url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/a.m4a";
  const std::string manifest =
      "<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" "
      "mediaPresentationDuration=\"PT10S\" minBufferTime=\"PT1S\" profiles=\"urn:mpeg:dash:profile:isoff-on-demand:2011\">"
      "<Period><AdaptationSet mimeType=\"audio/mp4\"><Representation id=\"a\" bandwidth=\"64000\" "
      "codecs=\"mp4a.40.2\"><BaseURL>" + url + "</BaseURL><SegmentBase indexRange=\"0-100\"/>"
      "</Representation></AdaptationSet></Period></MPD>\n";
  expect_refused_without_connecting(manifest, "dash", listener);
}

// A UDP port that was free a moment ago.
int free_udp_port() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool udp_port_free(int port) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  address.sin_port = htons(std::uint16_t(port));
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

TEST(AudioInputPolicy, SdpIsRefusedWithoutBindingItsPorts) {
  CountingListener listener;  // an RTSP-style control URL would point here
  const int port = free_udp_port() & ~1;  // RTP takes an even port, RTCP the next one
  const std::string sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " +
                          std::to_string(port) + " RTP/AVP 0\r\n";
  // The decode runs beside this thread, which keeps trying to take the port:
  // while a decoder holds it, binding fails. The state is shared, so that a
  // decoder that blocks cannot leave this test with a dangling reference.
  struct State {
    std::atomic<bool> done{false};
    Outcome outcome;
  };
  auto state = std::make_shared<State>();
  std::thread([state, sdp] {
    state->outcome = outcome_of([&] { decode_memory(bytes_of(sdp), {.time_limit_s = 5}); });
    state->done = true;
  }).detach();
  bool stayed_free = true;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!state->done && std::chrono::steady_clock::now() < give_up) {
    stayed_free = stayed_free && udp_port_free(port) && udp_port_free(port + 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(state->done) << "decoding an SDP upload did not finish within 10 s";
  EXPECT_TRUE(stayed_free) << "the decoder bound UDP port " << port << " named in the upload";
  EXPECT_TRUE(udp_port_free(port));
  EXPECT_EQ(error_code_name(state->outcome.code), "unsupported_format") << state->outcome.message;
  EXPECT_NE(state->outcome.message.find("sdp"), std::string::npos) << state->outcome.message;
  EXPECT_EQ(listener.connections(), 0);
}

TEST(AudioInputPolicy, ConcatScriptIsRefused) {
  // The concat demuxer reads other files named in the upload (here the
  // server's own password file).
  const auto o = outcome_of([] { decode_memory(bytes_of("ffconcat version 1.0\nfile '/etc/passwd'\n")); });
  EXPECT_EQ(error_code_name(o.code), "unsupported_format") << o.message;
  EXPECT_NE(o.message.find("concat"), std::string::npos) << o.message;
}

TEST(AudioInputPolicy, CodecOutsideTheAllowListIsRefusedByName) {
  // WAV format tag 0x0161 is Windows Media Audio 2: FFmpeg has a decoder, soundlens does not accept it.
  const auto bytes = wav_bytes(sine(440, 8000, 8000, 0.5), {.rate = 8000, .sample = WavSample::s16, .format_tag = 0x0161});
  const auto o = outcome_of([&] { decode_memory(bytes); });
  EXPECT_EQ(error_code_name(o.code), "unsupported_format") << o.message;
  EXPECT_NE(o.message.find("unsupported audio codec 'wmav2'"), std::string::npos) << o.message;
}

TEST(AudioInputPolicy, AHeaderClaimingGigabytesAllocatesNoGigabytes) {
  // Found by fuzz/decode_fuzzer: a WAV whose LIST chunk claims ~4 GB made
  // the demuxer allocate and clear gigabytes (30 s under ASan, 13 s for
  // ffprobe) before failing. Now no FFmpeg allocation exceeds 128 MB.
  const std::vector<std::uint8_t> bytes = {
    0x52, 0x49, 0x46, 0x46, 0x84, 0x0a, 0x00, 0x00, 0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74, 0x20,
    0x28, 0x00, 0x00, 0x00, 0xfe, 0xff, 0x02, 0x00, 0x80, 0x3e, 0x00, 0x00, 0x00, 0x01, 0xfb, 0x00,
    0x08, 0x00, 0x20, 0x00, 0x16, 0x00, 0x20, 0x00, 0x03, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71, 0x66, 0x61, 0x63, 0x74,
    0x04, 0x00, 0x00, 0x00, 0x40, 0x01, 0x00, 0x00, 0x4c, 0x49, 0x53, 0x54, 0x34, 0x00, 0xf9, 0xff,
    0x49, 0x4e, 0x46, 0x4f, 0x49, 0x43, 0x4d, 0x54, 0x11, 0x00, 0x00, 0x00, 0x50, 0x72, 0x6f, 0x63,
    0x65, 0x73, 0x73, 0x65, 0x64, 0x20, 0x62, 0x79, 0x20, 0x53, 0x6f, 0x58, 0xb0, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x4c, 0x61, 0x76, 0x66, 0x35, 0x39, 0x2e, 0x32, 0x37, 0x2e,
    0x31, 0x30, 0x30, 0x00, 0x64, 0x61, 0x74, 0x61, 0x00, 0x0a, 0x00, 0x00, 0xf8, 0xb6, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  };
  const auto start = std::chrono::steady_clock::now();
  const auto o = outcome_of([&] { decode_memory(bytes); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 1.0) << o.message;
}

TEST(AudioInputPolicy, DecodingHasAWallClockLimit) {
  const auto bytes = wav_bytes(sine(440, 44100, 20 * 44100, 0.5), {.rate = 44100});
  TempDir dir;
  write_bytes(dir.path("long.wav"), bytes);
  for (const auto& decode : std::vector<std::function<void()>>{
           [&] { decode_memory(bytes, {.time_limit_s = 1e-6}); },
           [&] { decode_file(dir.path("long.wav"), {.time_limit_s = 1e-6}); }}) {
    const auto o = outcome_of(decode);
    EXPECT_EQ(error_code_name(o.code), "too_long") << o.message;
    EXPECT_NE(o.message.find("took longer than the limit"), std::string::npos) << o.message;
  }
  EXPECT_NEAR(decode_memory(bytes, {.time_limit_s = 60}).duration_s(), 20.0, 1e-9);
}

}  // namespace
}  // namespace soundlens::test
