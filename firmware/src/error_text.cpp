#include "protocol.h"

namespace tt {

const char* error_text(ErrorCode code) {
#ifdef TT_NO_ERROR_TEXT
  (void)code;
  return "";
#else
  switch (code) {
    case ErrorCode::kUnknownMessage:
      return "unknown message type";
    case ErrorCode::kMalformed:
      return "malformed body";
    case ErrorCode::kUnsupportedProtocol:
      return "unsupported protocol";
    case ErrorCode::kNoUpload:
      return "no upload pending";
    case ErrorCode::kTooLarge:
      return "blob too large for slot";
    case ErrorCode::kBadSlot:
      return "slot not available";
    case ErrorCode::kBadOffset:
      return "chunk past total_len";
    case ErrorCode::kIncomplete:
      return "upload incomplete";
    case ErrorCode::kChecksumMismatch:
      return "blob CRC mismatch";
    case ErrorCode::kParamsMismatch:
      return "commit differs from begin";
    case ErrorCode::kModelInvalid:
      return "model rejected by loader";
    case ErrorCode::kArenaTooSmall:
      return "arena does not fit";
    case ErrorCode::kNoModel:
      return "no model";
    case ErrorCode::kInputSize:
      return "input size mismatch";
    case ErrorCode::kBatchTooLarge:
      return "batch too large";
    case ErrorCode::kStorageFailed:
      return "flash storage failed";
    case ErrorCode::kBusy:
      return "busy";
  }
  return "error";
#endif
}

}  // namespace tt
