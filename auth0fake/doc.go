// Package auth0fake is a stateful fake of Auth0's Management API for
// users and clients, and of the signup endpoint of its Authentication
// API, built on metamerge.
package auth0fake
