// A short two-tone chime made with Web Audio (no sound file). Browsers allow sound only after the
// person has interacted with the page; until then play() quietly does nothing.
let ctx = null;

export function unlockSound() {
  try {
    if (!ctx) ctx = new (window.AudioContext || window.webkitAudioContext)();
    if (ctx.state === 'suspended') ctx.resume();
  } catch (e) {
    ctx = null;
  }
  return ctx !== null;
}

export function soundReady() {
  return ctx !== null && ctx.state === 'running';
}

export function chime() {
  if (!soundReady()) return false;
  const now = ctx.currentTime;
  [[880, 0], [660, 0.35]].forEach(([freq, at]) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, now + at);
    gain.gain.exponentialRampToValueAtTime(0.4, now + at + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + at + 0.6);
    osc.connect(gain).connect(ctx.destination);
    osc.start(now + at);
    osc.stop(now + at + 0.65);
  });
  return true;
}
