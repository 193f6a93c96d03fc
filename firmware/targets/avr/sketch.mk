# arduino-mk settings for the TinyTwin example sketch, included by ./Makefile through a sub-make whose
# working directory is firmware/examples/TinyTwin (arduino-mk takes the *.ino of its working
# directory); every output goes to OBJDIR, outside the source tree.
ARDUINO_DIR ?= /usr/share/arduino
ARDUINO_LIBS := TinyTwin
TARGET := TinyTwin
# Debian's gcc-avr 5.4: C++11. Arduino's own flags (LTO, no thread-safe statics).
CXXFLAGS_STD := -std=gnu++11 -fno-threadsafe-statics -flto
# Debian's AVR core: WString.cpp uses DECIMAL_DIG, which avr-libc 2.0's float.h lacks.
CPPFLAGS += -DDECIMAL_DIG=17
include $(ARDUINO_DIR)/Arduino.mk
