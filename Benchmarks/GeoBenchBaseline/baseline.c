#include "geo_bench_baseline.h"

#include <arpa/inet.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

struct geo_baseline {
    MMDB_s mmdb;
};

geo_baseline *geo_baseline_open(const char *path) {
    geo_baseline *baseline = calloc(1, sizeof *baseline);
    if (baseline == NULL) return NULL;
    if (MMDB_open(path, MMDB_MODE_MMAP, &baseline->mmdb) != MMDB_SUCCESS) {
        free(baseline);
        return NULL;
    }
    return baseline;
}

void geo_baseline_close(geo_baseline *baseline) {
    if (baseline == NULL) return;
    MMDB_close(&baseline->mmdb);
    free(baseline);
}

int geo_baseline_advise_random(geo_baseline *baseline) {
    return madvise((void *)baseline->mmdb.file_content, baseline->mmdb.file_size, MADV_RANDOM);
}

static int get(MMDB_entry_s *start, MMDB_entry_data_s *data, const char *const *path) {
    return MMDB_aget_value(start, data, path) == MMDB_SUCCESS && data->has_data;
}

static int submap(MMDB_entry_s *start, const char *const *path, MMDB_entry_s *out) {
    MMDB_entry_data_s data;
    if (!get(start, &data, path) || data.type != MMDB_DATA_TYPE_MAP) return 0;
    out->mmdb = start->mmdb;
    out->offset = data.offset;
    return 1;
}

static uint64_t string_length(MMDB_entry_s *start, const char *const *path) {
    MMDB_entry_data_s data;
    if (!get(start, &data, path) || data.type != MMDB_DATA_TYPE_UTF8_STRING) return 0;
    return data.data_size + (uint64_t)(unsigned char)data.utf8_string[0];
}

static uint64_t number(MMDB_entry_s *start, const char *const *path) {
    MMDB_entry_data_s data;
    if (!get(start, &data, path)) return 0;
    switch (data.type) {
    case MMDB_DATA_TYPE_DOUBLE: return (uint64_t)(int64_t)(data.double_value * 1000);
    case MMDB_DATA_TYPE_UINT16: return data.uint16;
    case MMDB_DATA_TYPE_UINT32: return data.uint32;
    default: return 0;
    }
}

static const char *const continent_path[] = {"continent", NULL};
static const char *const country_path[] = {"country", NULL};
static const char *const subdivision_path[] = {"subdivisions", "0", NULL};
static const char *const city_path[] = {"city", NULL};
static const char *const postal_path[] = {"postal", NULL};
static const char *const location_path[] = {"location", NULL};
static const char *const code_path[] = {"code", NULL};
static const char *const iso_code_path[] = {"iso_code", NULL};
static const char *const english_name_path[] = {"names", "en", NULL};
static const char *const latitude_path[] = {"latitude", NULL};
static const char *const longitude_path[] = {"longitude", NULL};
static const char *const accuracy_path[] = {"accuracy_radius", NULL};
static const char *const time_zone_path[] = {"time_zone", NULL};

static uint64_t read_record(MMDB_entry_s *record) {
    uint64_t sum = 1;
    MMDB_entry_s map;
    if (submap(record, continent_path, &map)) sum += string_length(&map, code_path);
    if (submap(record, country_path, &map)) {
        sum += string_length(&map, iso_code_path);
        sum += string_length(&map, english_name_path);
    }
    if (submap(record, subdivision_path, &map)) {
        sum += string_length(&map, iso_code_path);
        sum += string_length(&map, english_name_path);
    }
    if (submap(record, city_path, &map)) sum += string_length(&map, english_name_path);
    if (submap(record, postal_path, &map)) sum += string_length(&map, code_path);
    if (submap(record, location_path, &map)) {
        sum += number(&map, latitude_path);
        sum += number(&map, longitude_path);
        sum += number(&map, accuracy_path);
        sum += string_length(&map, time_zone_path);
    }
    return sum;
}

uint64_t geo_baseline_lookup_all(geo_baseline *baseline, const uint8_t *addresses, const uint8_t *is_ipv4,
                                 size_t count) {
    uint64_t checksum = 0;
    for (size_t index = 0; index < count; index++) {
        const uint8_t *bytes = addresses + 16 * index;
        int error = MMDB_SUCCESS;
        MMDB_lookup_result_s result;
        if (is_ipv4[index]) {
            struct sockaddr_in address = {0};
            address.sin_family = AF_INET;
            memcpy(&address.sin_addr, bytes + 12, 4);
            result = MMDB_lookup_sockaddr(&baseline->mmdb, (const struct sockaddr *)&address, &error);
        } else {
            struct sockaddr_in6 address = {0};
            address.sin6_family = AF_INET6;
            memcpy(&address.sin6_addr, bytes, 16);
            result = MMDB_lookup_sockaddr(&baseline->mmdb, (const struct sockaddr *)&address, &error);
        }
        if (error == MMDB_SUCCESS && result.found_entry) checksum += read_record(&result.entry);
    }
    return checksum;
}

/* The same reads, producing what GeoIPDatabase.lookup produces: every field owned by the
 * result (each string copied out of the memory map into its own NUL-terminated allocation),
 * then folded into the checksum and freed, as a caller done with a result would. */
struct geo_fields {
    char *continent_code, *country_code, *country, *subdivision_code, *subdivision, *city, *postal_code, *time_zone;
    uint32_t lengths[8];
    double latitude, longitude;
    uint32_t accuracy_radius;
};

static void copy_string(MMDB_entry_s *start, const char *const *path, char **out, uint32_t *length) {
    MMDB_entry_data_s data;
    if (!get(start, &data, path) || data.type != MMDB_DATA_TYPE_UTF8_STRING) return;
    char *copy = malloc(data.data_size + 1);
    if (copy == NULL) return;
    memcpy(copy, data.utf8_string, data.data_size);
    copy[data.data_size] = 0;
    *out = copy;
    *length = data.data_size;
}

static double copy_double(MMDB_entry_s *start, const char *const *path) {
    MMDB_entry_data_s data;
    if (!get(start, &data, path)) return 0;
    if (data.type == MMDB_DATA_TYPE_DOUBLE) return data.double_value;
    if (data.type == MMDB_DATA_TYPE_FLOAT) return data.float_value;
    return 0;
}

static void read_fields(MMDB_entry_s *record, struct geo_fields *fields) {
    MMDB_entry_s map;
    if (submap(record, continent_path, &map)) copy_string(&map, code_path, &fields->continent_code, &fields->lengths[0]);
    if (submap(record, country_path, &map)) {
        copy_string(&map, iso_code_path, &fields->country_code, &fields->lengths[1]);
        copy_string(&map, english_name_path, &fields->country, &fields->lengths[2]);
    }
    if (submap(record, subdivision_path, &map)) {
        copy_string(&map, iso_code_path, &fields->subdivision_code, &fields->lengths[3]);
        copy_string(&map, english_name_path, &fields->subdivision, &fields->lengths[4]);
    }
    if (submap(record, city_path, &map)) copy_string(&map, english_name_path, &fields->city, &fields->lengths[5]);
    if (submap(record, postal_path, &map)) copy_string(&map, code_path, &fields->postal_code, &fields->lengths[6]);
    if (submap(record, location_path, &map)) {
        fields->latitude = copy_double(&map, latitude_path);
        fields->longitude = copy_double(&map, longitude_path);
        fields->accuracy_radius = (uint32_t)number(&map, accuracy_path);
        copy_string(&map, time_zone_path, &fields->time_zone, &fields->lengths[7]);
    }
}

static uint64_t fold_and_free(struct geo_fields *fields) {
    char *strings[8] = {fields->continent_code, fields->country_code, fields->country, fields->subdivision_code,
                        fields->subdivision, fields->city, fields->postal_code, fields->time_zone};
    uint64_t sum = 1;
    for (int index = 0; index < 8; index++) {
        if (strings[index] == NULL) continue;
        sum += fields->lengths[index] + (uint64_t)(unsigned char)strings[index][0];
        free(strings[index]);
    }
    sum += (uint64_t)(int64_t)(fields->latitude * 1000);
    sum += (uint64_t)(int64_t)(fields->longitude * 1000);
    return sum + fields->accuracy_radius;
}

uint64_t geo_baseline_lookup_all_copying(geo_baseline *baseline, const uint8_t *addresses, const uint8_t *is_ipv4,
                                         size_t count) {
    uint64_t checksum = 0;
    for (size_t index = 0; index < count; index++) {
        const uint8_t *bytes = addresses + 16 * index;
        int error = MMDB_SUCCESS;
        MMDB_lookup_result_s result;
        if (is_ipv4[index]) {
            struct sockaddr_in address = {0};
            address.sin_family = AF_INET;
            memcpy(&address.sin_addr, bytes + 12, 4);
            result = MMDB_lookup_sockaddr(&baseline->mmdb, (const struct sockaddr *)&address, &error);
        } else {
            struct sockaddr_in6 address = {0};
            address.sin6_family = AF_INET6;
            memcpy(&address.sin6_addr, bytes, 16);
            result = MMDB_lookup_sockaddr(&baseline->mmdb, (const struct sockaddr *)&address, &error);
        }
        if (error == MMDB_SUCCESS && result.found_entry) {
            struct geo_fields fields = {0};
            read_fields(&result.entry, &fields);
            checksum += fold_and_free(&fields);
        }
    }
    return checksum;
}
