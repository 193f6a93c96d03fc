// The TinyTwin library's one public header for Arduino sketches (library.properties `includes`).
// Everything in src/ is the portable core: it never includes Arduino.h; a sketch supplies the
// serial line, the clock and (optionally) flash storage through tt::BoardIo and tt::FlashStore, and
// feeds received bytes to tt::Board::receive. See examples/TinyTwin/TinyTwin.ino.
#pragma once

#include "board.h"
#include "board_config.h"
#include "board_io.h"
#include "flash_store.h"
#include "frame.h"
