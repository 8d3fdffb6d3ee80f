// Portability macros shared by host and device code.
#pragma once

// GAUS_HD marks a function callable from host and device code. Under nvcc it expands to
// `__host__ __device__`; in plain C++ translation units it expands to nothing, so the same
// element-wise math is compiled for both backends.
#if defined(__CUDACC__)
#define GAUS_HD __host__ __device__
#define GAUS_FORCEINLINE __forceinline__
#else
#define GAUS_HD
#define GAUS_FORCEINLINE inline
#endif
