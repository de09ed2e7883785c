// The live page's capture: the microphone's samples (mono: the first channel)
// gathered into chunks of `chunkSamples` and posted as 16-bit little-endian PCM
// to the page, which sends them to the session in order (lib/live-session.ts).
class LiveCapture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.size = options.processorOptions.chunkSamples;
    this.buffer = new Int16Array(this.size);
    this.filled = 0;
    this.port.onmessage = (event) => {
      if (event.data === 'flush' && this.filled > 0) {
        this.port.postMessage(this.buffer.slice(0, this.filled).buffer);
        this.filled = 0;
      }
    };
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    for (let i = 0; i < channel.length; i++) {
      const v = Math.max(-1, Math.min(1, channel[i]));
      this.buffer[this.filled++] = Math.round(v * 32767);
      if (this.filled === this.size) {
        this.port.postMessage(this.buffer.buffer, [this.buffer.buffer]);
        this.buffer = new Int16Array(this.size);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('live-capture', LiveCapture);
