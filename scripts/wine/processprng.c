/* bcryptprimitives.dll for Wine 8: Go 1.22 and later load ProcessPrng from
 * it at start-up, and Wine ships it only from Wine 9. scripts/test-windows.sh
 * builds this with MinGW-w64 into the test prefix's system32 (Go loads system
 * DLLs from there only). Not shipped to users: real Windows 10/11 have it. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
