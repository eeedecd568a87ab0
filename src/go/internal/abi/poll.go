package abi

import "encoding/binary"

// The 8-byte poll record: handle u32, events u16, revents u16, all
// little-endian, packed back to back like struct pollfd.
const (
	POLL_HANDLE_OFFSET  = 0
	POLL_EVENTS_OFFSET  = 4
	POLL_REVENTS_OFFSET = 6
	POLL_SUB_SIZE       = 8
)

// PollSet is an array of poll records, reused from one sock_poll to the
// next.
type PollSet struct {
	buf []byte
}

// Reset empties the set, keeping its memory.
func (s *PollSet) Reset() { s.buf = s.buf[:0] }

// Len is the number of records.
func (s *PollSet) Len() int { return len(s.buf) / POLL_SUB_SIZE }

// Add appends a record waiting for events on handle.
func (s *PollSet) Add(handle uint32, events uint16) {
	var rec [POLL_SUB_SIZE]byte
	binary.LittleEndian.PutUint32(rec[POLL_HANDLE_OFFSET:], handle)
	binary.LittleEndian.PutUint16(rec[POLL_EVENTS_OFFSET:], events)
	s.buf = append(s.buf, rec[:]...)
}

// Revents is what the host wrote into record i.
func (s *PollSet) Revents(i int) uint16 {
	return binary.LittleEndian.Uint16(s.buf[i*POLL_SUB_SIZE+POLL_REVENTS_OFFSET:])
}

// Slice is records [start, end) of s, sharing its memory: a sock_poll on
// the slice writes the revents of s.
func (s *PollSet) Slice(start, end int) PollSet {
	return PollSet{buf: s.buf[start*POLL_SUB_SIZE : end*POLL_SUB_SIZE]}
}
