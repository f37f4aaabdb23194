/* A stand-in libcudart.so for TokenizerOnCudaHostTest: it answers DJL's CUDA probe
 * (ai.djl.util.cuda.CudaUtils, through JNA) as an H100 would: one device, CUDA runtime 12.4,
 * compute capability 9.0. It drives no hardware. */
#include <stddef.h>

int cudaGetDeviceCount(int *count) { *count = 1; return 0; }
int cudaRuntimeGetVersion(int *version) { *version = 12040; return 0; }
int cudaDeviceGetAttribute(int *value, int attr, int device) {
  (void)device;
  /* 75: cudaDevAttrComputeCapabilityMajor, 76: cudaDevAttrComputeCapabilityMinor */
  *value = attr == 75 ? 9 : 0;
  return 0;
}
const char *cudaGetErrorString(int error) { (void)error; return "fake cudart"; }
int cudaGetDevice(int *device) { *device = 0; return 0; }
int cudaSetDevice(int device) { (void)device; return 0; }
int cudaMemGetInfo(size_t *free_bytes, size_t *total_bytes) {
  *free_bytes = (size_t)80 << 30;
  *total_bytes = (size_t)80 << 30;
  return 0;
}
