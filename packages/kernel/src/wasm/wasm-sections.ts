/**
 * What a WebAssembly binary keeps besides code: the number of data segments (static data, written
 * into memory when an instance is made) and of mutable globals (state between calls; the
 * AssemblyScript runtime's heap pointer is one). A module sharing the kernel's memory may have
 * neither: its data would land on other threads' bytes, and every thread's heap would start at the
 * same address. Sections per the core spec (§5.5): id byte, LEB128 size, contents.
 */
export interface StaticState {
  dataSegments: number;
  mutableGlobals: number;
}

export function staticState(bytes: Uint8Array): StaticState {
  let i = 8; // magic + version
  const u32 = () => {
    let r = 0;
    let shift = 0;
    let b: number;
    do {
      b = bytes[i++]!;
      r += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return r;
  };
  const out: StaticState = { dataSegments: 0, mutableGlobals: 0 };
  while (i < bytes.length) {
    const id = bytes[i++]!;
    const size = u32();
    const end = i + size;
    if (id === 11) out.dataSegments = u32();
    else if (id === 6) {
      // globaltype = valtype mut, then a constant expression up to its `end` (0x0b)
      const n = u32();
      for (let g = 0; g < n && i < end; g++) {
        const valtype = bytes[i++]!;
        if (bytes[i++] === 1) out.mutableGlobals++;
        skipConstExpr(valtype);
      }
    }
    i = end;
  }
  return out;

  function skipConstExpr(_valtype: number): void {
    for (;;) {
      const op = bytes[i++]!;
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) u32(); // i32/i64.const (LEB), global.get, ref.func
      else if (op === 0x43) i += 4;
      else if (op === 0x44) i += 8;
      else if (op === 0xd0) i++; // ref.null t
      else if (op === 0xfd) { u32(); i += 16; } // v128.const
      // extended-const arithmetic (i32.add …) has no immediates
    }
  }
}
