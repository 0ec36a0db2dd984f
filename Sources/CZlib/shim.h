// zlib (Debian's zlib1g-dev, on every machine of this kind): FlateDecode for PDF streams.
#include <zlib.h>
