// The passage the sketch answers questions about: written for TinyTwin (not SQuAD text), UTF-8.
// Replace it with your own text (any length: long passages run in windows of 128 tokens with a
// stride of 64; raise kPassageTokens in TinyTwinQA.ino if the sketch says it is too long). Keep it
// as adjacent string literals without escapes: tests/conformance/qa-sketch-qemu.test.ts reads it
// from this file.
#pragma once

const char kPassage[] =
    "The Harwick Lighthouse stands on a granite point at the mouth of the Teal River. It "
    "was designed by the engineer Margaret Østby and first lit on 14 March 1887, after "
    "four years of work by a crew of thirty-two masons. The tower is 41 metres tall, and "
    "on a clear night its lamp could be seen from 22 nautical miles away. Until 1954 the "
    "light burned paraffin; that year it was converted to electricity, and in 1989 the "
    "last keeper, Thomas Reyes, left when the station became automatic. Today the "
    "keeper's cottage is a small museum run by the Harwick Historical Society, which "
    "opens it to visitors from May to September. The museum shows the clockwork that "
    "once turned the lens, a logbook kept by the first keeper, and photographs of the "
    "great storm of 1903, when waves broke over the gallery and flooded the lower rooms. "
    "Ships entering the river still use the tower as a landmark, although most now rely "
    "on satellite navigation. Every August the town holds a festival in honour of the "
    "masons, with a race from the harbour to the lighthouse and back.";
