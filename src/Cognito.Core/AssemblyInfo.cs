using System.Runtime.CompilerServices;

// The hot path's stack buffers (JSON name tables, cookie-name scratch) are always written before they
// are read, so zeroing them is wasted work on every request.
[module: SkipLocalsInit]
