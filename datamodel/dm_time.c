/* dm_time.c — TR-106 dateTime text to an instant (see dm_time.h); no time zone database, only
 * the offsets the text carries. */
#include "datamodel/dm_time.h"

/* n fixed digits at s. */
static bool time_num(const char *s, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*out = *out * 10 + (s[i] - '0');
	}
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (civil-from-days, inverted). */
static int64_t time_days(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool dm_time_parse(const char *s, dm_time *out)
{
	int y, mo, d, h, mi, sec, zh = 0, zm = 0;
	long nsec = 0, scale = 100000000;

	if (!time_num(s, 4, &y) || s[4] != '-' || !time_num(s + 5, 2, &mo) || s[7] != '-' ||
	    !time_num(s + 8, 2, &d) || s[10] != 'T' || !time_num(s + 11, 2, &h) || s[13] != ':' ||
	    !time_num(s + 14, 2, &mi) || s[16] != ':' || !time_num(s + 17, 2, &sec))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return false;
	s += 19;
	if (*s == '.') {
		if (*++s < '0' || *s > '9')
			return false;
		for (; *s >= '0' && *s <= '9'; s++, scale /= 10)
			nsec += (*s - '0') * scale;
	}
	if (*s == '+' || *s == '-') {
		if (!time_num(s + 1, 2, &zh) || s[3] != ':' || !time_num(s + 4, 2, &zm))
			return false;
		if (*s == '-') {
			zh = -zh;
			zm = -zm;
		}
		s += 6;
	} else if (*s == 'Z') {
		s++;
	}
	if (*s != '\0')
		return false;
	out->sec = time_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - zh * 3600 - zm * 60;
	out->nsec = nsec;
	return true;
}
