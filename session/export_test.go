package session

// CloneState lets the package's tests check State.clone from outside.
func CloneState(st *State) *State { return st.clone() }
